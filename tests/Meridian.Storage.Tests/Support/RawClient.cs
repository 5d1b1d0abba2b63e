using System.Net;
using System.Text.RegularExpressions;

namespace Meridian.Storage.Tests.Support;

/// <summary>Hand-built, hand-signed requests to a test store.</summary>
internal sealed partial class RawClient(TestStore store) : IDisposable
{
    private readonly HttpClient _http = new();

    public TestSigner Signer { get; init; } = new();

    public sealed record Response(HttpStatusCode Status, string Body, HttpResponseMessage Message)
    {
        public string? ErrorCode => CodePattern().Match(Body) is { Success: true } m ? m.Groups[1].Value : null;

        public override string ToString() => $"{(int)Status} {Body}";
    }

    /// <summary>
    /// Sends <paramref name="method"/> <paramref name="pathAndQuery"/>; <paramref name="prepare"/> adds headers before signing,
    /// <paramref name="body"/> builds the body from the signature seed (for signed chunks). Unsigned when <paramref name="payloadHash"/> is null.
    /// </summary>
    public async Task<Response> SendAsync(HttpMethod method, string pathAndQuery, string? payloadHash, Func<TestSigner.Signed?, byte[]>? body = null,
        Action<HttpRequestMessage>? prepare = null, DateTimeOffset? when = null, Action<HttpRequestMessage>? afterSign = null)
    {
        using var request = new HttpRequestMessage(method, store.Url + pathAndQuery);
        if (body is not null)
        {
            request.Content = new ByteArrayContent([]); // placeholder so prepare can set content headers (Content-MD5, Content-Encoding)
        }
        prepare?.Invoke(request);
        TestSigner.Signed? signed = null;
        if (payloadHash is not null)
        {
            signed = Signer.Sign(request, payloadHash, when ?? DateTimeOffset.UtcNow);
        }
        if (body is not null)
        {
            var content = new ByteArrayContent(body(signed));
            foreach (var header in request.Content!.Headers.Where(h => h.Key != "Content-Length"))
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            request.Content = content;
        }
        afterSign?.Invoke(request);
        var response = await _http.SendAsync(request);
        return new Response(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public Task<Response> PutPlainAsync(string pathAndQuery, byte[] data, Action<HttpRequestMessage>? prepare = null) =>
        SendAsync(HttpMethod.Put, pathAndQuery, TestSigner.Sha256Hex(data), _ => data, prepare);

    public Task<Response> GetAsync(string pathAndQuery) => SendAsync(HttpMethod.Get, pathAndQuery, TestSigner.EmptySha);

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<Code>([^<]+)</Code>")]
    private static partial Regex CodePattern();
}
