using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Meridian.Storage.Checksums;
using Meridian.Storage.Tests.Support;
using Meridian.Topology.Model;

namespace Meridian.Storage.Tests;

/// <summary>Payload formats and broken requests built by hand: the right S3 error, and nothing stored.</summary>
public sealed class RawProtocolTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private RawClient _raw = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.StartAsync([new BucketConfig { Name = "raw" }]);
        _raw = new RawClient(_store);
    }

    public async Task DisposeAsync()
    {
        _raw.Dispose();
        await _store.DisposeAsync();
    }

    private static Action<HttpRequestMessage> Chunked(long decodedLength, string? trailer = null) => r =>
    {
        r.Headers.TryAddWithoutValidation("x-amz-decoded-content-length", decodedLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        r.Content!.Headers.TryAddWithoutValidation("Content-Encoding", "aws-chunked");
        if (trailer is not null)
        {
            r.Headers.TryAddWithoutValidation("x-amz-trailer", trailer);
        }
    };

    private async Task AssertNotStoredAsync(string key)
    {
        var get = await _raw.GetAsync("/raw/" + key);
        Assert.Equal("NoSuchKey", get.ErrorCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(_store.DataDirectory, "tmp")));
    }

    [Fact]
    public async Task SignedChunks_NoTrailer_Stored()
    {
        var data = RandomNumberGenerator.GetBytes(200_000);
        var put = await _raw.SendAsync(HttpMethod.Put, "/raw/signed", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            seed => TestSigner.Chunked(data, 65536, seed), Chunked(data.Length));
        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(data))}\"", put.Message.Headers.ETag!.Tag);
        var get = await _raw.GetAsync("/raw/signed");
        Assert.Equal(data, await get.Message.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task SignedChunks_TamperedChunkSignature_SignatureDoesNotMatchNothingStored()
    {
        var data = RandomNumberGenerator.GetBytes(100_000);
        var put = await _raw.SendAsync(HttpMethod.Put, "/raw/tampered", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", seed =>
        {
            var body = TestSigner.Chunked(data, 65536, seed);
            body[body.Length - 500] ^= 1; // a data byte of the second chunk
            return body;
        }, Chunked(data.Length));
        Assert.Equal(HttpStatusCode.Forbidden, put.Status);
        Assert.Equal("SignatureDoesNotMatch", put.ErrorCode);
        await AssertNotStoredAsync("tampered");
    }

    [Theory]
    [InlineData("CRC32", "x-amz-checksum-crc32")]
    [InlineData("CRC32C", "x-amz-checksum-crc32c")]
    [InlineData("CRC64NVME", "x-amz-checksum-crc64nvme")]
    public async Task UnsignedTrailer_GoodAndBadChecksum_StoredOrBadDigest(string algorithmName, string header)
    {
        var algorithm = ChecksumAlgorithms.Parse(algorithmName)!.Value;
        var data = RandomNumberGenerator.GetBytes(150_000);
        var good = ChecksumHasher.Compute(algorithm, data);
        var ok = await _raw.SendAsync(HttpMethod.Put, "/raw/trailer", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            _ => TestSigner.Chunked(data, 50_000, null, [(header, good)]), Chunked(data.Length, header));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal(good, ok.Message.Headers.GetValues(header).Single());
        var bad = ChecksumHasher.Compute(algorithm, data.Reverse().ToArray());
        var refused = await _raw.SendAsync(HttpMethod.Put, "/raw/trailer-bad", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            _ => TestSigner.Chunked(data, 50_000, null, [(header, bad)]), Chunked(data.Length, header));
        Assert.Equal("BadDigest", refused.ErrorCode);
        await AssertNotStoredAsync("trailer-bad");
    }

    [Fact]
    public async Task SignedTrailer_WrongTrailerSignature_Refused()
    {
        var data = Encoding.UTF8.GetBytes("trailer signed");
        var crc = ChecksumHasher.Compute(ChecksumAlgorithm.Crc32, data);
        var ok = await _raw.SendAsync(HttpMethod.Put, "/raw/st", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
            seed => TestSigner.Chunked(data, 8, seed, [("x-amz-checksum-crc32", crc)]), Chunked(data.Length, "x-amz-checksum-crc32"));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        var refused = await _raw.SendAsync(HttpMethod.Put, "/raw/st-bad", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", seed =>
        {
            var body = Encoding.ASCII.GetString(TestSigner.Chunked(data, 8, seed, [("x-amz-checksum-crc32", crc)]));
            var at = body.IndexOf("x-amz-trailer-signature:", StringComparison.Ordinal) + "x-amz-trailer-signature:".Length;
            return Encoding.ASCII.GetBytes(body[..at] + (body[at] == 'a' ? 'b' : 'a') + body[(at + 1)..]);
        }, Chunked(data.Length, "x-amz-checksum-crc32"));
        Assert.Equal("SignatureDoesNotMatch", refused.ErrorCode);
        await AssertNotStoredAsync("st-bad");
    }

    [Fact]
    public async Task TruncatedChunkedBody_IncompleteBodyNothingStored()
    {
        var data = RandomNumberGenerator.GetBytes(100_000);
        var put = await _raw.SendAsync(HttpMethod.Put, "/raw/cut", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            _ => TestSigner.Chunked(data, 65536, null, [("x-amz-checksum-crc32", "AAAAAA==")])[..70_000], Chunked(data.Length, "x-amz-checksum-crc32"));
        Assert.Equal("IncompleteBody", put.ErrorCode);
        await AssertNotStoredAsync("cut");
    }

    [Fact]
    public async Task PlainBody_Sha256AndMd5Mismatch_S3Errors()
    {
        var data = Encoding.UTF8.GetBytes("payload");
        var sha = await _raw.SendAsync(HttpMethod.Put, "/raw/sha", TestSigner.Sha256Hex(Encoding.UTF8.GetBytes("other")), _ => data);
        Assert.Equal("XAmzContentSHA256Mismatch", sha.ErrorCode);
        var md5 = await _raw.PutPlainAsync("/raw/md5", data, r => r.Content!.Headers.TryAddWithoutValidation("Content-MD5", Convert.ToBase64String(MD5.HashData(new byte[1]))));
        Assert.Equal("BadDigest", md5.ErrorCode);
        var invalid = await _raw.PutPlainAsync("/raw/md5", data, r => r.Content!.Headers.TryAddWithoutValidation("Content-MD5", "not-base64!"));
        Assert.Equal("InvalidDigest", invalid.ErrorCode);
        await AssertNotStoredAsync("sha");
        await AssertNotStoredAsync("md5");
    }

    [Fact]
    public async Task SkewedDateMissingShaAndBadCredential_S3Errors()
    {
        var skewed = await _raw.SendAsync(HttpMethod.Get, "/raw", TestSigner.EmptySha, when: DateTimeOffset.UtcNow.AddMinutes(-20));
        Assert.Equal(HttpStatusCode.Forbidden, skewed.Status);
        Assert.Equal("RequestTimeTooSkewed", skewed.ErrorCode);
        var noSha = await _raw.SendAsync(HttpMethod.Get, "/raw", TestSigner.EmptySha,
            afterSign: r => r.Headers.Remove("x-amz-content-sha256"));
        Assert.Equal("InvalidRequest", noSha.ErrorCode);
        using var wrongRegion = new RawClient(_store) { Signer = new TestSigner(region: "eu-west-1") };
        Assert.Equal("AuthorizationHeaderMalformed", (await wrongRegion.GetAsync("/raw")).ErrorCode);
        var v2 = await _raw.SendAsync(HttpMethod.Get, "/raw", null, prepare: r => r.Headers.TryAddWithoutValidation("Authorization", "AWS AKID:c2lnbmF0dXJl"));
        Assert.Equal("InvalidRequest", v2.ErrorCode);
    }

    [Fact]
    public async Task CompleteMultipart_PartsOutOfOrder_InvalidPartOrder()
    {
        var init = await _raw.SendAsync(HttpMethod.Post, "/raw/mp?uploads", TestSigner.EmptySha);
        var uploadId = System.Text.RegularExpressions.Regex.Match(init.Body, "<UploadId>([^<]+)</UploadId>").Groups[1].Value;
        var xml = Encoding.UTF8.GetBytes("<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>\"a\"</ETag></Part>" +
            "<Part><PartNumber>1</PartNumber><ETag>\"b\"</ETag></Part></CompleteMultipartUpload>");
        var complete = await _raw.SendAsync(HttpMethod.Post, $"/raw/mp?uploadId={uploadId}", TestSigner.Sha256Hex(xml), _ => xml);
        Assert.Equal("InvalidPartOrder", complete.ErrorCode);
        var wrongKey = await _raw.SendAsync(HttpMethod.Post, $"/raw/other?uploadId={uploadId}", TestSigner.Sha256Hex(xml), _ => xml);
        Assert.Equal("NoSuchUpload", wrongKey.ErrorCode);
        var traversal = await _raw.SendAsync(HttpMethod.Delete, "/raw/mp?uploadId=..%2F..%2Fbuckets", TestSigner.EmptySha);
        Assert.Equal("NoSuchUpload", traversal.ErrorCode);
    }

    private static readonly byte[] NulDelete = Encoding.UTF8.GetBytes("<Delete><Object><Key>a&#0;b</Key></Object></Delete>");

    [Fact]
    public async Task KeyWithNulAndOverlongKey_Refused()
    {
        var nul = await _raw.PutPlainAsync("/raw/a%00b", [1]);
        // Kestrel itself refuses a request target that decodes to NUL (400 before the store sees it).
        Assert.Equal(HttpStatusCode.BadRequest, nul.Status);
        // A NUL smuggled into a DeleteObjects body is not even XML.
        var delete = await _raw.SendAsync(HttpMethod.Post, "/raw?delete", TestSigner.Sha256Hex(NulDelete), _ => NulDelete,
            r => r.Content!.Headers.TryAddWithoutValidation("Content-MD5", Convert.ToBase64String(MD5.HashData(NulDelete))));
        Assert.Equal("MalformedXML", delete.ErrorCode);
        var longKey = await _raw.PutPlainAsync("/raw/" + new string('k', 1025), [1]);
        Assert.Equal("KeyTooLongError", longKey.ErrorCode);
        var badUtf8 = await _raw.PutPlainAsync("/raw/%ff%fe", [1]);
        Assert.Equal("InvalidURI", badUtf8.ErrorCode);
    }

    [Fact]
    public async Task OversizedHeaders_RefusedByKestrelServerStaysUp()
    {
        var huge = await _raw.SendAsync(HttpMethod.Get, "/raw", TestSigner.EmptySha,
            prepare: r => r.Headers.TryAddWithoutValidation("x-amz-meta-big", new string('x', 100_000)));
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, huge.Status);
        Assert.Equal(HttpStatusCode.OK, (await _raw.GetAsync("/raw")).Status);
    }

    [Fact]
    public async Task ClientDisconnectMidUpload_LeavesNoObjectAndNoTempFile()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_store.Server.Endpoint);
        var header = $"PUT /raw/partial HTTP/1.1\r\nHost: {_store.Server.Endpoint}\r\nContent-Length: 1000000\r\nx-amz-content-sha256: UNSIGNED-PAYLOAD\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(header));
        await socket.SendAsync(new byte[300_000]);
        socket.Close(); // anonymous (refused before the body); the signed case below streams into a temp file
        var request = new HttpRequestMessage(HttpMethod.Put, _store.Url + "/raw/partial2");
        new TestSigner().Sign(request, "UNSIGNED-PAYLOAD", DateTimeOffset.UtcNow);
        using var s2 = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s2.ConnectAsync(_store.Server.Endpoint);
        var lines = new StringBuilder($"PUT /raw/partial2 HTTP/1.1\r\nHost: {request.RequestUri!.Authority}\r\nContent-Length: 1000000\r\n");
        foreach (var h in request.Headers)
        {
            lines.Append($"{h.Key}: {string.Join(",", h.Value)}\r\n");
        }
        lines.Append("\r\n");
        await s2.SendAsync(Encoding.ASCII.GetBytes(lines.ToString()));
        await s2.SendAsync(new byte[400_000]);
        // Close only once the store streams partial2 into its temp file: closing earlier let the wait below see an
        // empty folder before the server had even created the file (a CI failure on 2026-11-26).
        var tmp = Path.Combine(_store.DataDirectory, "tmp");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.GetFiles(tmp).Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.NotEmpty(Directory.GetFiles(tmp));
        s2.Close();
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.GetFiles(tmp).Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        await AssertNotStoredAsync("partial");
        await AssertNotStoredAsync("partial2");
    }
}
