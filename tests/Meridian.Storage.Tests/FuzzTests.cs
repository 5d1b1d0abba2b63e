using System.Net.Sockets;
using System.Text;
using Meridian.Storage.Auth;
using Meridian.Storage.Checksums;
using Meridian.Storage.Errors;
using Meridian.Storage.Payload;
using Meridian.Storage.Tests.Support;
using Meridian.Topology.Model;

namespace Meridian.Storage.Tests;

/// <summary>
/// Bounded, seeded fuzzing of the chunk decoder, the SigV4 verifier and the request parser: every mutated input
/// ends in a known S3 error (or, for a harmless mutation, the exact original data), never in another exception,
/// a 5xx or a stored object. A failing input is printed in full so it can be kept as a regression case.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] DecoderErrors = ["SignatureDoesNotMatch", "IncompleteBody", "InvalidRequest"];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AwsChunkedDecoder_MutatedBodies_KnownErrorOrExactData(bool signed)
    {
        var random = new Random(signed ? 1234 : 4321);
        var key = SigV4.SigningKey(TestStore.SecretKey, "20260101", TestStore.Region);
        var auth = new AuthResult("AK", key, $"20260101/{TestStore.Region}/s3/aws4_request", "20260101T000000Z", new string('a', 64), false);
        var seed = new TestSigner.Signed(auth.AmzDate, auth.Scope, key, auth.Signature);
        for (var i = 0; i < 400; i++)
        {
            var data = new byte[random.Next(0, 3000)];
            random.NextBytes(data);
            var crc = ChecksumHasher.Compute(ChecksumAlgorithm.Crc32, data);
            var body = TestSigner.Chunked(data, random.Next(1, 1500), signed ? seed : null, [("x-amz-checksum-crc32", crc)]);
            var mutated = Mutate(random, body);
            var decoder = new AwsChunkedDecoder(new MemoryStream(mutated), signed ? auth : null, trailer: true, data.Length);
            var output = new MemoryStream();
            try
            {
                var buffer = new byte[random.Next(1, 4096)];
                int n;
                while ((n = await decoder.ReadAsync(buffer, CancellationToken.None)) > 0)
                {
                    output.Write(buffer, 0, n);
                }
                // Unsigned chunks do not protect the data: the trailing checksum does (the receiver answers BadDigest).
                var intact = output.ToArray().AsSpan().SequenceEqual(data);
                var caughtByChecksum = !signed && decoder.Trailers.GetValueOrDefault("x-amz-checksum-crc32") != ChecksumHasher.Compute(ChecksumAlgorithm.Crc32, output.ToArray());
                Assert.True(intact || caughtByChecksum, $"accepted a mutated body with different data: {Convert.ToBase64String(mutated)}");
            }
            catch (S3Exception error)
            {
                Assert.True(DecoderErrors.Contains(error.Code), $"unexpected {error.Code} for {Convert.ToBase64String(mutated)}");
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().Name}: {ex.Message} for input {Convert.ToBase64String(mutated)} (signed={signed})");
            }
        }
    }

    [Fact]
    public async Task SigV4Verifier_MutatedAuthHeaders_RefusedAndNothingStored()
    {
        await using var store = await TestStore.StartAsync([new BucketConfig { Name = "fuzz" }]);
        using var raw = new RawClient(store);
        var random = new Random(99);
        var accepted = new List<string>();
        string[] allowed = ["SignatureDoesNotMatch", "AuthorizationHeaderMalformed", "InvalidAccessKeyId", "AccessDenied", "RequestTimeTooSkewed",
            "InvalidRequest", "InvalidArgument", "XAmzContentSHA256Mismatch"];
        for (var i = 0; i < 150; i++)
        {
            var key = $"k{i}";
            var data = Encoding.UTF8.GetBytes("fuzz " + i);
            var target = random.Next(3) switch { 0 => "Authorization", 1 => "x-amz-date", _ => "x-amz-content-sha256" };
            var response = await raw.SendAsync(HttpMethod.Put, "/fuzz/" + key, TestSigner.Sha256Hex(data), _ => data, afterSign: request =>
            {
                var value = request.Headers.GetValues(target).Single();
                request.Headers.Remove(target);
                request.Headers.TryAddWithoutValidation(target, MutateText(random, value));
            });
            if ((int)response.Status == 200)
            {
                accepted.Add(key); // an equivalent rewrite (e.g. an extra comma); the object must then be intact
                continue;
            }
            Assert.True((int)response.Status is 400 or 403, $"{target}: {response}");
            Assert.True(allowed.Contains(response.ErrorCode), $"{target}: {response}");
        }
        var listing = await raw.GetAsync("/fuzz?list-type=2");
        var stored = System.Text.RegularExpressions.Regex.Matches(listing.Body, "<Key>([^<]+)</Key>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(accepted.Order(), stored.Order());
        Assert.True(accepted.Count < 15, $"too many mutations accepted: {accepted.Count}");
    }

    [Fact]
    public async Task RequestParser_RandomTargets_NeverServerErrorAndStaysUp()
    {
        await using var store = await TestStore.StartAsync([new BucketConfig { Name = "parse", PublicRead = true }]);
        var random = new Random(7);
        string[] methods = ["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS"];
        const string alphabet = "abc/%?=&.+-_~:;#[]@!$'()*,\\\"<> 0123456789ABCDEFxyzé";
        for (var i = 0; i < 200; i++)
        {
            var target = new StringBuilder("/");
            for (var j = random.Next(0, 60); j > 0; j--)
            {
                target.Append(random.Next(8) == 0 ? $"%{random.Next(256):X2}" : alphabet[random.Next(alphabet.Length)].ToString());
            }
            var requestText = $"{methods[random.Next(methods.Length)]} {target.ToString().Replace(" ", "%20", StringComparison.Ordinal)} HTTP/1.1\r\n" +
                $"Host: {store.Server.Endpoint}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            var status = await SendRawAsync(store, Encoding.UTF8.GetBytes(requestText));
            Assert.True(status is >= 200 and < 500 or 501, $"{status} for {requestText}");
        }
        Assert.Equal(404, await SendRawAsync(store, Encoding.ASCII.GetBytes($"GET /parse/missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
    }

    private static async Task<int> SendRawAsync(TestStore store, byte[] request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(store.Server.Endpoint);
        await socket.SendAsync(request);
        var buffer = new byte[64 * 1024];
        var received = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        var text = received.ToString();
        return text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    private static byte[] Mutate(Random random, byte[] body)
    {
        var bytes = body.ToList();
        switch (random.Next(5))
        {
            case 0 when bytes.Count > 0:
                bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                bytes.RemoveRange(random.Next(bytes.Count + 1) is var at && at < bytes.Count ? at : 0, at < bytes.Count ? bytes.Count - at : 0);
                break;
            case 2 when bytes.Count > 0:
                var start = random.Next(bytes.Count);
                bytes.InsertRange(start, bytes.GetRange(start, Math.Min(random.Next(1, 20), bytes.Count - start)));
                break;
            case 3:
                bytes.InsertRange(random.Next(bytes.Count + 1), Enumerable.Range(0, random.Next(1, 8)).Select(_ => (byte)random.Next(256)));
                break;
            default:
                var hexAt = bytes.IndexOf((byte)';');
                if (hexAt > 0)
                {
                    bytes[hexAt - 1] = (byte)"0123456789abcdefg"[random.Next(17)];
                }
                break;
        }
        return bytes.ToArray();
    }

    private static string MutateText(Random random, string value)
    {
        var chars = value.ToCharArray().ToList();
        switch (random.Next(3))
        {
            case 0 when chars.Count > 0:
                var at = random.Next(chars.Count);
                char replacement;
                do
                {
                    replacement = (char)random.Next(33, 127);
                }
                while (char.ToLowerInvariant(replacement) == char.ToLowerInvariant(chars[at]));
                chars[at] = replacement;
                break;
            case 1 when chars.Count > 1:
                chars.RemoveRange(random.Next(1, chars.Count), 1);
                break;
            default:
                return value[..random.Next(value.Length)];
        }
        return new string(chars.ToArray());
    }
}
