using System.Net;
using Microsoft.AspNetCore.Http;

namespace Meridian.Forwarding;

/// <summary>
/// The origin response's content as YARP reads it: a read that cannot complete at once first flushes what the
/// <see cref="DeferredFlushBody"/> holds, so the client never waits on bytes the proxy already has.
/// </summary>
internal sealed class FlushBeforeWaitContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly DeferredFlushBody _body;

    private FlushBeforeWaitContent(HttpContent inner, DeferredFlushBody body)
    {
        _inner = inner;
        _body = body;
    }

    /// <summary>
    /// Called by a transformer once the response headers are copied: wraps the content when a deferred-flush body is
    /// installed. Upgraded connections (101, or 200 to an HTTP/2 extended CONNECT, e.g. a WebSocket) are left alone: their
    /// content is a duplex stream YARP also writes to.
    /// </summary>
    public static void Wrap(HttpContext context, HttpResponseMessage? response)
    {
        if (response?.Content is { } content
            && response.StatusCode != HttpStatusCode.SwitchingProtocols
            && response.RequestMessage?.Method != HttpMethod.Connect
            && context.Features.Get<DeferredFlushBody>() is { } body)
        {
            response.Content = new FlushBeforeWaitContent(content, body);
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new FlushBeforeWaitStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _body);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream, context);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _inner.CopyToAsync(stream, context, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
