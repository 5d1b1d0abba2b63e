using System.IO.Pipelines;
using Meridian.Forwarding;

namespace Meridian.Balancer.Tests;

/// <summary>When the deferred client bytes are flushed, driven by what the origin's stream does (no sockets).</summary>
public sealed class FlushBeforeWaitStreamTests
{
    /// <summary>An origin body stream whose next read is scripted.</summary>
    private sealed class ScriptedStream(Func<Memory<byte>, ValueTask<int>> read) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read(buffer);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static async Task<(Pipe Pipe, DeferredFlushBody Body)> WithPendingAsync(int bytes)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0)); // no back-pressure: nothing reads until the test does
        var body = new DeferredFlushBody(pipe.Writer);
        await body.WriteAsync(new byte[bytes]);
        return (pipe, body);
    }

    private static long Flushed(Pipe pipe) => pipe.Reader.TryRead(out var result) ? result.Buffer.Length : 0;

    [Fact]
    public async Task ReadAsync_DataAlreadyThere_NoFlush()
    {
        var (pipe, body) = await WithPendingAsync(100);
        var stream = new FlushBeforeWaitStream(new ScriptedStream(_ => ValueTask.FromResult(7)), body);

        Assert.Equal(7, await stream.ReadAsync(new byte[10]));
        Assert.True(body.HasPending);
        Assert.Equal(0, Flushed(pipe));
    }

    [Fact]
    public async Task ReadAsync_OriginMustWait_FlushesBeforeWaiting()
    {
        var (pipe, body) = await WithPendingAsync(100);
        var more = new TaskCompletionSource<int>();
        var stream = new FlushBeforeWaitStream(new ScriptedStream(_ => new ValueTask<int>(more.Task)), body);

        var read = stream.ReadAsync(new byte[10]);
        Assert.Equal(100, Flushed(pipe)); // out before the origin's next bytes
        more.SetResult(3);
        Assert.Equal(3, await read);
    }

    [Fact]
    public async Task ReadAsync_OriginFailedAlready_FlushesThenThrows()
    {
        var (pipe, body) = await WithPendingAsync(100);
        var stream = new FlushBeforeWaitStream(new ScriptedStream(_ => ValueTask.FromException<int>(new IOException("reset"))), body);

        await Assert.ThrowsAsync<IOException>(() => stream.ReadAsync(new byte[10]).AsTask());
        Assert.Equal(100, Flushed(pipe)); // the response has started: YARP aborts instead of answering 502
    }

    [Fact]
    public async Task ReadAsync_OriginThrowsSynchronously_FlushesThenThrows()
    {
        var (pipe, body) = await WithPendingAsync(100);
        var stream = new FlushBeforeWaitStream(new ScriptedStream(_ => throw new IOException("reset")), body);

        await Assert.ThrowsAsync<IOException>(() => stream.ReadAsync(new byte[10]).AsTask());
        Assert.Equal(100, Flushed(pipe));
    }

    [Fact]
    public async Task WriteAsync_PastBufferLimit_Flushes()
    {
        var (pipe, body) = await WithPendingAsync(DeferredFlushBody.MaxPendingBytes - 1);
        Assert.Equal(0, Flushed(pipe));

        await body.WriteAsync(new byte[1]);

        Assert.False(body.HasPending);
        Assert.Equal(DeferredFlushBody.MaxPendingBytes, Flushed(pipe));
    }
}
