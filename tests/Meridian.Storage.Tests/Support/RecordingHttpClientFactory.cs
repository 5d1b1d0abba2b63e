using Amazon.Runtime;

namespace Meridian.Storage.Tests.Support;

/// <summary>Gives the SDK an HttpClient that records the headers it sends, to assert which payload format it chose.</summary>
internal sealed class RecordingHttpClientFactory : HttpClientFactory
{
    public List<Dictionary<string, string>> Requests { get; } = [];

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Recorder(this) { InnerHandler = new HttpClientHandler() });

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;

    private sealed class Recorder(RecordingHttpClientFactory owner) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
            headers[":method"] = request.Method.Method;
            lock (owner.Requests)
            {
                owner.Requests.Add(headers);
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
