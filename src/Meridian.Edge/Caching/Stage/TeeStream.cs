using System.IO.Compression;

namespace Meridian.Edge.Caching;

/// <summary>
/// Wraps the response body while the origin response streams: bytes go to the client and, once a fill is attached,
/// into the <see cref="CacheFill"/>. With a compressor attached, writes are compressed first (client and cache both
/// get the compressed variant).
/// </summary>
internal sealed class TeeStream(Stream inner) : Stream
{
    private Stream? _compressor;
    private bool _dropped;

    public Stream Inner => inner;

    public CacheFill? Fill { get; set; }

    /// <summary>Called once when the fill stops keeping the body (it grew past the max object size).</summary>
    public Action? FillDropped { get; set; }

    public long BytesWritten { get; private set; }

    // The compressor writes into a sink that does the tee's own work (fill, then client); created only when compressing.
    public void Compress(ContentCoding coding) => _compressor = CompressionPolicy.CreateCompressor(coding, new Sink(this), leaveOpen: true);

    /// <summary>Flushes the compressor's trailer (when compressing).</summary>
    public async Task FinishAsync()
    {
        if (_compressor is { } c)
        {
            _compressor = null;
            await c.DisposeAsync().ConfigureAwait(false);
        }
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => (_compressor ?? inner).Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => (_compressor ?? inner).FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        BytesWritten += buffer.Length;
        if (_compressor is { } compressor)
        {
            compressor.Write(buffer);
            return;
        }

        WriteThrough(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BytesWritten += buffer.Length;
        return _compressor is { } compressor ? compressor.WriteAsync(buffer, cancellationToken) : WriteThroughAsync(buffer, cancellationToken);
    }

    private void WriteThrough(ReadOnlySpan<byte> buffer)
    {
        Append(buffer);
        inner.Write(buffer);
    }

    private ValueTask WriteThroughAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        Append(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    private void Append(ReadOnlySpan<byte> buffer)
    {
        if (Fill is not { } fill)
        {
            return;
        }

        fill.Append(buffer);
        if (!_dropped && !fill.Retaining)
        {
            _dropped = true;
            FillDropped?.Invoke();
        }
    }

    /// <summary>Where the compressor writes: the tee's fill and client, past the compression.</summary>
    private sealed class Sink(TeeStream tee) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => tee.Inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => tee.Inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => tee.WriteThrough(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            tee.WriteThroughAsync(buffer, cancellationToken);
    }
}
