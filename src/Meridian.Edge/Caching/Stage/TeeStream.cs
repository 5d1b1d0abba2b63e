using System.IO.Compression;

namespace Meridian.Edge.Caching;

/// <summary>
/// Wraps the response body while the origin response streams: bytes go to the client and, once a fill is attached,
/// into the <see cref="CacheFill"/>. With a compressor attached, writes are compressed first (client and cache both
/// get the compressed variant).
/// </summary>
internal sealed class TeeStream(Stream inner) : Stream
{
    private readonly Sink _sink = new(inner);
    private Stream? _compressor;

    public Stream Inner => inner;

    public CacheFill? Fill { get => _sink.Fill; set => _sink.Fill = value; }

    /// <summary>Called once when the fill stops keeping the body (it grew past the max object size).</summary>
    public Action? FillDropped { get => _sink.FillDropped; set => _sink.FillDropped = value; }

    public long BytesWritten { get; private set; }

    public void Compress(ContentCoding coding) => _compressor = CompressionPolicy.CreateCompressor(coding, _sink, leaveOpen: true);

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
    public override void Flush() => (_compressor ?? _sink).Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => (_compressor ?? _sink).FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        BytesWritten += buffer.Length;
        (_compressor ?? _sink).Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BytesWritten += buffer.Length;
        return (_compressor ?? _sink).WriteAsync(buffer, cancellationToken);
    }

    private sealed class Sink(Stream inner) : Stream
    {
        private bool _dropped;

        public CacheFill? Fill { get; set; }

        public Action? FillDropped { get; set; }

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

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Append(buffer);
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Append(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }
    }
}
