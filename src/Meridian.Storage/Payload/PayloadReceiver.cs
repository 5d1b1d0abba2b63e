using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using Meridian.Storage.Auth;
using Meridian.Storage.Checksums;
using Meridian.Storage.Errors;
using Meridian.Storage.Http;

namespace Meridian.Storage.Payload;

/// <summary>
/// Streams a request body into a temp file while computing MD5 (the ETag), the signed SHA-256 and any requested
/// x-amz-checksum-*, then verifies all of them (Content-MD5 -> BadDigest, x-amz-content-sha256 ->
/// XAmzContentSHA256Mismatch, checksums -> BadDigest) and fsyncs. On any failure the temp file is deleted: a
/// rejected or cut-off upload never becomes an object. Memory use is one buffer, whatever the size.
/// </summary>
internal static class PayloadReceiver
{
    /// <summary>S3's limit for a single PUT (and a part).</summary>
    public const long MaxSinglePut = 5L * 1024 * 1024 * 1024;

    public static async Task<ReceivedPayload> ReceiveAsync(S3Request request, string tempPath, ChecksumAlgorithm? requested, CancellationToken token)
    {
        try
        {
            await using var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            var (size, md5, checksums) = await ReceiveIntoAsync(request, file, requested, MaxSinglePut, token).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
            return new ReceivedPayload(tempPath, size, md5, checksums);
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }
    }

    /// <summary>A small body (an XML document) into memory, verified the same way.</summary>
    public static async Task<byte[]> ReceiveSmallAsync(S3Request request, long maxLength, CancellationToken token)
    {
        using var memory = new MemoryStream();
        await ReceiveIntoAsync(request, memory, null, maxLength, token).ConfigureAwait(false);
        return memory.ToArray();
    }

    private static async Task<(long Size, byte[] Md5, IReadOnlyDictionary<string, string> Checksums)> ReceiveIntoAsync(
        S3Request request, Stream sink, ChecksumAlgorithm? requested, long maxLength, CancellationToken token)
    {
        var contentSha = request.Auth.IsAnonymous || request.Auth.Presigned
            ? request.Header("x-amz-content-sha256") ?? SigV4.UnsignedPayload
            : request.Header("x-amz-content-sha256")!;
        var (source, length) = OpenBody(request, contentSha, maxLength);
        var expected = ExpectedChecksum(request, requested);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha = SigV4.IsSha256Hex(contentSha) ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        using var checksum = expected.Algorithm is { } alg ? new ChecksumHasher(alg) : null;
        long total = 0;
        // Pooled: a 128 KiB array per PUT would be a large-object-heap allocation each time.
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            while (true)
            {
                var n = await source.ReadAsync(buffer, token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                total += n;
                if (total > length)
                {
                    throw S3Errors.InvalidRequest("The request body is longer than its declared length.");
                }
                var data = buffer.AsSpan(0, n);
                md5.AppendData(data);
                sha?.AppendData(data);
                checksum?.Append(data);
                await sink.WriteAsync(buffer.AsMemory(0, n), token).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (total != length)
        {
            throw S3Errors.IncompleteBody();
        }
        var md5Bytes = md5.GetHashAndReset();
        Verify(request, contentSha, sha, md5Bytes);
        return (total, md5Bytes, VerifyChecksum(expected, checksum, source.Trailers));
    }

    private static (IBodySource Source, long Length) OpenBody(S3Request request, string contentSha, long maxLength)
    {
        var body = request.Http.Request.Body;
        if (contentSha.StartsWith("STREAMING-", StringComparison.Ordinal))
        {
            var decoded = request.Header("x-amz-decoded-content-length");
            if (decoded is null || !long.TryParse(decoded, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                throw S3Errors.MissingContentLength();
            }
            if (length > maxLength)
            {
                throw S3Errors.EntityTooLarge();
            }
            var signed = contentSha is SigV4.StreamingSigned or SigV4.StreamingSignedTrailer;
            if (signed && request.Auth.IsAnonymous)
            {
                throw S3Errors.AccessDenied("Signed chunks need a signed request");
            }
            var trailer = contentSha is SigV4.StreamingSignedTrailer or SigV4.StreamingUnsignedTrailer;
            return (new AwsChunkedDecoder(body, signed ? request.Auth : null, trailer, length), length);
        }
        if (request.Http.Request.ContentLength is not { } plainLength)
        {
            throw S3Errors.MissingContentLength();
        }
        if (plainLength > maxLength)
        {
            throw S3Errors.EntityTooLarge();
        }
        return (new PlainBodySource(body), plainLength);
    }

    private static void Verify(S3Request request, string contentSha, IncrementalHash? sha, byte[] md5)
    {
        if (sha is not null && !string.Equals(Convert.ToHexStringLower(sha.GetHashAndReset()), contentSha, StringComparison.OrdinalIgnoreCase))
        {
            throw S3Errors.ContentSha256Mismatch();
        }
        if (request.Header("Content-MD5") is { } contentMd5)
        {
            byte[] claimed;
            try
            {
                claimed = Convert.FromBase64String(contentMd5.Trim());
            }
            catch (FormatException)
            {
                throw S3Errors.InvalidDigest();
            }
            if (claimed.Length != 16)
            {
                throw S3Errors.InvalidDigest();
            }
            if (!claimed.AsSpan().SequenceEqual(md5))
            {
                throw S3Errors.BadDigest();
            }
        }
    }

    private sealed record Expected(ChecksumAlgorithm? Algorithm, string? HeaderValue, bool FromTrailer);

    /// <summary>Which checksum to compute and where its value comes from: a header, the trailer, or nowhere (compute only).</summary>
    private static Expected ExpectedChecksum(S3Request request, ChecksumAlgorithm? requested)
    {
        var headers = ChecksumAlgorithms.All.Where(a => request.Header(ChecksumAlgorithms.HeaderName(a)) is not null).ToList();
        if (headers.Count > 1)
        {
            throw S3Errors.InvalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
        }
        if (headers.Count == 1)
        {
            return new(headers[0], request.Header(ChecksumAlgorithms.HeaderName(headers[0])), false);
        }
        if (request.Header("x-amz-trailer") is { } trailer)
        {
            var algorithm = ChecksumAlgorithms.FromHeaderName(trailer)
                ?? throw S3Errors.InvalidRequest($"The value specified in the x-amz-trailer header is not supported: {trailer}");
            return new(algorithm, null, true);
        }
        var sdk = request.Header("x-amz-sdk-checksum-algorithm");
        ChecksumAlgorithm? named = sdk is null ? null : ChecksumAlgorithms.Parse(sdk) ?? throw S3Errors.InvalidRequest($"Unsupported checksum algorithm {sdk}");
        return new(named ?? requested, null, false);
    }

    private static IReadOnlyDictionary<string, string> VerifyChecksum(Expected expected, ChecksumHasher? hasher, IReadOnlyDictionary<string, string> trailers)
    {
        if (hasher is null || expected.Algorithm is not { } algorithm)
        {
            return new Dictionary<string, string>();
        }
        var name = ChecksumAlgorithms.Name(algorithm);
        var claimed = expected.HeaderValue;
        if (expected.FromTrailer && !trailers.TryGetValue(ChecksumAlgorithms.HeaderName(algorithm), out claimed))
        {
            throw S3Errors.InvalidRequest($"The x-amz-trailer header announced {ChecksumAlgorithms.HeaderName(algorithm)} but the body has no such trailer.");
        }
        var actual = hasher.Base64();
        if (claimed is not null)
        {
            if (!IsValidDigest(claimed, algorithm))
            {
                throw S3Errors.InvalidRequest($"Value for {ChecksumAlgorithms.HeaderName(algorithm)} header is invalid.");
            }
            if (claimed != actual)
            {
                throw S3Errors.BadDigest($"The {name} you specified did not match the calculated checksum.");
            }
        }
        return new Dictionary<string, string> { [name] = actual };
    }

    private static bool IsValidDigest(string value, ChecksumAlgorithm algorithm)
    {
        Span<byte> bytes = stackalloc byte[64];
        return Convert.TryFromBase64String(value, bytes, out var n) && n == ChecksumAlgorithms.DigestLength(algorithm);
    }
}
