using System.Globalization;
using System.Security.Cryptography;
using Meridian.Storage.Auth;
using Meridian.Storage.Errors;

namespace Meridian.Storage.Payload;

/// <summary>
/// Decodes Content-Encoding aws-chunked: "hex-size[;chunk-signature=sig]\r\n data \r\n" ... "0[;chunk-signature=sig]\r\n"
/// then optional trailer lines and an empty line. With an <see cref="AuthResult"/> every chunk signature is
/// verified against the chain seeded by the request signature (SignatureDoesNotMatch otherwise), and so is the
/// x-amz-trailer-signature. More data than declared, less, or broken framing are errors: nothing is committed.
/// </summary>
internal sealed class AwsChunkedDecoder : IBodySource
{
    private const int MaxLine = 4096;
    private const int MaxTrailers = 16;

    private readonly BodyBuffer _body;
    private readonly AuthResult? _signed;
    private readonly bool _trailer;
    private readonly long _declaredLength;
    private readonly Dictionary<string, string> _trailers = new(StringComparer.Ordinal);
    private readonly List<string> _trailerLines = [];
    private IncrementalHash? _chunkHash;
    private string _previousSignature = "";
    private string? _chunkSignature;
    private long _remainingInChunk;
    private long _total;
    private bool _done;

    /// <param name="signed">The request's auth for STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER); null for unsigned chunks.</param>
    public AwsChunkedDecoder(Stream body, AuthResult? signed, bool trailer, long declaredLength)
    {
        _body = new BodyBuffer(body);
        _signed = signed;
        _trailer = trailer;
        _declaredLength = declaredLength;
        if (signed is not null)
        {
            _previousSignature = signed.Signature;
            _chunkHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }
    }

    public IReadOnlyDictionary<string, string> Trailers => _trailers;

    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken token)
    {
        while (!_done)
        {
            if (_remainingInChunk > 0)
            {
                var want = (int)Math.Min(destination.Length, _remainingInChunk);
                var n = await _body.ReadAsync(destination[..want], token).ConfigureAwait(false);
                if (n == 0)
                {
                    throw S3Errors.IncompleteBody();
                }
                _chunkHash?.AppendData(destination.Span[..n]);
                _remainingInChunk -= n;
                if (_remainingInChunk == 0)
                {
                    await EndChunkAsync(token).ConfigureAwait(false);
                }
                return n;
            }
            await StartChunkAsync(token).ConfigureAwait(false);
        }
        return 0;
    }

    private async ValueTask StartChunkAsync(CancellationToken token)
    {
        var line = await _body.ReadLineAsync(MaxLine, token).ConfigureAwait(false) ?? throw S3Errors.IncompleteBody();
        var semicolon = line.IndexOf(';');
        var sizeText = semicolon < 0 ? line : line[..semicolon];
        if (sizeText.Length is 0 or > 16 || !long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
        {
            throw Malformed($"bad chunk size '{Truncate(sizeText)}'");
        }
        _chunkSignature = null;
        if (semicolon >= 0)
        {
            var extension = line[(semicolon + 1)..];
            const string prefix = "chunk-signature=";
            if (!extension.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw Malformed("unknown chunk extension");
            }
            _chunkSignature = extension[prefix.Length..];
        }
        if (_signed is not null && (_chunkSignature is null || !SigV4.IsSha256Hex(_chunkSignature)))
        {
            throw S3Errors.SignatureDoesNotMatch(" A chunk has no valid chunk-signature.");
        }
        if (size > _declaredLength - _total)
        {
            throw Malformed("chunks carry more data than x-amz-decoded-content-length");
        }
        _total += size;
        _remainingInChunk = size;
        if (size == 0)
        {
            VerifyChunkSignature();
            await ReadTrailerAsync(token).ConfigureAwait(false);
            if (_total != _declaredLength)
            {
                throw S3Errors.IncompleteBody();
            }
            _done = true;
        }
    }

    private async ValueTask EndChunkAsync(CancellationToken token)
    {
        var end = await _body.ReadLineAsync(2, token).ConfigureAwait(false);
        if (end is null)
        {
            throw S3Errors.IncompleteBody();
        }
        if (end.Length != 0)
        {
            throw Malformed("chunk data is longer than its declared size");
        }
        VerifyChunkSignature();
    }

    private void VerifyChunkSignature()
    {
        if (_signed is null || _chunkHash is null)
        {
            return;
        }
        var chunkSha = Convert.ToHexStringLower(_chunkHash.GetHashAndReset());
        var expected = SigV4.Sign(_signed.SigningKey, SigV4.ChunkStringToSign(_signed.AmzDate, _signed.Scope, _previousSignature, chunkSha));
        if (!SigV4.SignaturesEqual(expected, _chunkSignature!))
        {
            throw S3Errors.SignatureDoesNotMatch(" (chunk signature)");
        }
        _previousSignature = expected;
    }

    private async ValueTask ReadTrailerAsync(CancellationToken token)
    {
        string? trailerSignature = null;
        while (true)
        {
            var line = await _body.ReadLineAsync(MaxLine, token).ConfigureAwait(false);
            if (line is null || line.Length == 0)
            {
                break; // some clients end the body right after the last trailer
            }
            var colon = line.IndexOf(':');
            if (colon <= 0 || !_trailer)
            {
                throw Malformed("unexpected trailer");
            }
            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (name == "x-amz-trailer-signature")
            {
                trailerSignature = value;
                continue;
            }
            if (_trailers.Count >= MaxTrailers || !_trailers.TryAdd(name, value))
            {
                throw Malformed("too many or repeated trailers");
            }
            _trailerLines.Add($"{name}:{value}\n");
        }
        if (_signed is not null && _trailer)
        {
            if (trailerSignature is null || !SigV4.IsSha256Hex(trailerSignature))
            {
                throw S3Errors.SignatureDoesNotMatch(" The trailer has no x-amz-trailer-signature.");
            }
            var trailerSha = SigV4.Sha256Hex(string.Concat(_trailerLines));
            var expected = SigV4.Sign(_signed.SigningKey, SigV4.TrailerStringToSign(_signed.AmzDate, _signed.Scope, _previousSignature, trailerSha));
            if (!SigV4.SignaturesEqual(expected, trailerSignature))
            {
                throw S3Errors.SignatureDoesNotMatch(" (trailer signature)");
            }
        }
    }

    private static S3Exception Malformed(string what) => S3Errors.InvalidRequest($"Malformed aws-chunked encoding: {what}");

    private static string Truncate(string text) => text.Length > 20 ? text[..20] + "..." : text;
}
