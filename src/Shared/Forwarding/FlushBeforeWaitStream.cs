namespace Meridian.Forwarding;

/// <summary>The read side of <see cref="FlushBeforeWaitContent"/>: flushes the client's pending bytes before a read waits.</summary>
internal sealed class FlushBeforeWaitStream(Stream inner, DeferredFlushBody body) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <remarks>
    /// A failing read (the origin reset, or ended before its Content-Length) also flushes first: once bytes are out the
    /// response has started, so YARP aborts the client's connection as it did before deferred flushing, instead of
    /// clearing the response and answering 502 with the held bytes in front of its body.
    /// </remarks>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ValueTask<int> read;
        try
        {
            read = inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (body.HasPending)
        {
            return FlushThenThrowAsync(ex, cancellationToken);
        }

        if (!body.HasPending || read.IsCompletedSuccessfully)
        {
            return read;
        }

        return FlushThenReadAsync(read, cancellationToken);
    }

    private async ValueTask<int> FlushThenThrowAsync(Exception error, CancellationToken cancellationToken)
    {
        await body.FlushPendingAsync(cancellationToken).ConfigureAwait(false);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return 0;
    }

    private async ValueTask<int> FlushThenReadAsync(ValueTask<int> read, CancellationToken cancellationToken)
    {
        try
        {
            await body.FlushPendingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The read was issued: observe it (it ends when YARP disposes the origin response) so it is not left unawaited.
            _ = ObserveAsync(read);
            throw;
        }

        return await read.ConfigureAwait(false);
    }

    private static async Task ObserveAsync(ValueTask<int> read)
    {
        try
        {
            await read.ConfigureAwait(false);
        }
        catch
        {
            // The flush failure is what the caller reports.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
