using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Meridian.Forwarding;

/// <summary>
/// The response body while YARP copies an origin's response: writes go into the server's output buffer without a
/// flush, and the flush happens when the origin's stream would have to wait (<see cref="FlushBeforeWaitContent"/>),
/// when <see cref="MaxPendingBytes"/> are buffered (back-pressure), or when the response ends. A chunked response
/// whose last chunk is already buffered then leaves in one send together with its terminating chunk, where a write +
/// flush per chunk made two (Kestrel writes the terminator when the request ends): one <c>sendto</c> and one wake-up
/// of the client less per proxied chunked response (bench/http, docs/benchmarks.md "HTTP 2026-11-26 10:..").
/// A streaming response (server-sent events, long polling) still goes out as soon as the origin pauses.
/// </summary>
internal sealed class DeferredFlushBody : Stream
{
    /// <summary>Kestrel's default response buffer limit: beyond it a flush waits for the client (back-pressure).</summary>
    public const int MaxPendingBytes = 64 * 1024;

    private readonly PipeWriter _writer;
    private int _pending;

    // Internal for unit tests (a Pipe's writer); servers use TryInstall.
    internal DeferredFlushBody(PipeWriter writer) => _writer = writer;

    /// <summary>True while written bytes wait for a flush.</summary>
    public bool HasPending => _pending > 0;

    /// <summary>Body bytes written through this stream.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>
    /// Replaces <paramref name="context"/>'s response body with a deferred-flush body over the server's own writer
    /// and registers it for the transformer (<see cref="FlushBeforeWaitContent.Wrap"/>); null (nothing changed) when
    /// the body was already replaced by a middleware, whose stream must keep seeing every write.
    /// </summary>
    public static DeferredFlushBody? TryInstall(HttpContext context)
    {
        if (!CanInstall(context))
        {
            return null;
        }

        var body = new DeferredFlushBody(context.Features.Get<IHttpResponseBodyFeature>()!.Writer);
        context.Response.Body = body;
        context.Features.Set(body);
        return body;
    }

    /// <summary>Whether <see cref="TryInstall"/> would install one (the server's own body, not gRPC, not a tunnel).</summary>
    public static bool CanInstall(HttpContext context) =>
        context.Features.Get<IHttpResponseBodyFeature>() is { } feature and not StreamResponseBodyFeature
        && !IsGrpc(context.Request) && !IsTunnel(context);

    // Upgrades and CONNECT tunnels (WebSockets over HTTP/1.1 or HTTP/2) are byte streams both ways, not responses.
    private static bool IsTunnel(HttpContext context) =>
        HttpMethods.IsConnect(context.Request.Method) || context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true;

    // YARP completes a gRPC response through Response.CompleteAsync, which a replaced body would not pass to Kestrel.
    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Called when the forwarding is done: sends what is pending, except on a chunked HTTP/1.1 response, whose
    /// terminating chunk Kestrel writes and flushes together with it when the request ends (the point of this body).
    /// Without this flush a 150,000-byte Content-Length response through the cache stage never completed
    /// (CacheHitPathTests, 2026-11-26), and nothing promises it for HTTP/2.
    /// </summary>
    public ValueTask CompleteAsync(HttpContext context)
    {
        var chunked = context.Response.ContentLength is null && HttpProtocol.IsHttp11(context.Request.Protocol);
        return _pending == 0 || chunked ? default : FlushPendingAsync(context.RequestAborted);
    }

    /// <summary>Puts the server's own body back.</summary>
    public void Uninstall(HttpContext context, Stream original)
    {
        context.Features.Set<DeferredFlushBody>(null);
        context.Response.Body = original;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    // Kestrel forbids synchronous I/O on the response; so does this body.
    public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous writes are not allowed on a proxied response body.");
    public override void Flush() => throw new InvalidOperationException("Synchronous flushes are not allowed on a proxied response body.");

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _writer.Write(buffer.Span);
        _pending += buffer.Length;
        BytesWritten += buffer.Length;
        return _pending < MaxPendingBytes ? default : FlushPendingAsync(cancellationToken);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => FlushPendingAsync(cancellationToken).AsTask();

    /// <summary>Sends what is buffered (Kestrel's flush result is ignored, as its own response stream does).</summary>
    public ValueTask FlushPendingAsync(CancellationToken cancellationToken)
    {
        _pending = 0;
        var flush = _writer.FlushAsync(cancellationToken);
        if (flush.IsCompletedSuccessfully)
        {
            _ = flush.Result;
            return default;
        }

        return AwaitFlushAsync(flush);
    }

    private static async ValueTask AwaitFlushAsync(ValueTask<FlushResult> flush) => await flush.ConfigureAwait(false);
}
