namespace Meridian.Edge.Http1;

/// <summary>
/// One keep-alive HTTP/1.1 connection to an origin: its stream, one receive buffer whose unread bytes carry over from
/// a response head to its body, a reusable send buffer and head, and a timer source for its reads. Used by one
/// request at a time (the pool hands it out exclusively).
/// </summary>
internal sealed class Http1OriginConnection : IDisposable
{
    // Holds the largest head the parser accepts, so a head never has to span two buffers.
    public const int ReceiveBufferBytes = Http1ResponseParser.MaxHeadBytes;

    private readonly Stream _stream;
    private readonly CancellationTokenSource _timeout;
    private readonly byte[] _receive = new byte[ReceiveBufferBytes];
    private int _start;
    private int _end;
    private bool _disposed;

    public Http1OriginConnection(Stream stream, TimeProvider time)
    {
        _stream = stream;
        _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    /// <summary>The request head is formatted here; grows for a large head (bounded by the viewer's header limits).</summary>
    public byte[] SendBuffer { get; set; } = new byte[4096];

    public Http1ResponseHead Head { get; } = new();

    /// <summary>Requests this connection carried before the current one (0: a new connection).</summary>
    public int Uses { get; set; }

    /// <summary>When it went back to the pool (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long IdleSince { get; set; }

    /// <summary>True once a read or write timed out or was cancelled: the connection must be thrown away.</summary>
    public bool Cancelled => _timeout.IsCancellationRequested;

    /// <summary>Bytes received and not yet consumed.</summary>
    public ReadOnlySpan<byte> Buffered => _receive.AsSpan(_start, _end - _start);

    public ReadOnlyMemory<byte> BufferedMemory => _receive.AsMemory(_start, _end - _start);

    public void Consume(int count) => _start += count;

    /// <summary>Cancels the current read or write (the viewer went away); the connection is not reused.</summary>
    public void Cancel() => _timeout.Cancel();

    /// <summary>
    /// Sends the request head, then reads until a final (non-1xx) response head is complete; interim 1xx responses are
    /// skipped. Both must finish within <paramref name="timeout"/> (the origin response timeout: time to headers).
    /// </summary>
    /// <returns>False when the origin closed the connection before sending any byte (a stale keep-alive connection).</returns>
    public async ValueTask<bool> ExchangeHeadAsync(int length, bool headRequest, TimeSpan timeout)
    {
        // One timer for both steps: each CancelAfter is a timer-queue update (a lock) on the request's path.
        _timeout.CancelAfter(timeout);
        await _stream.WriteAsync(SendBuffer.AsMemory(0, length), _timeout.Token).ConfigureAwait(false);
        _start = _end = 0;
        var received = false;
        while (true)
        {
            if (_end > _start && Http1ResponseParser.TryParse(Buffered, headRequest, Head, out var consumed))
            {
                _start += consumed;
                if (Head.Status >= 200)
                {
                    return true;
                }

                if (Head.Status == 101)
                {
                    throw new Http1ProtocolException("101 Switching Protocols to a request that asked for no upgrade");
                }

                continue; // 100 Continue, 103 Early Hints: not forwarded
            }

            if (!await FillAsync().ConfigureAwait(false))
            {
                if (!received)
                {
                    return false;
                }

                throw new Http1ProtocolException("the origin closed the connection inside a response head");
            }

            received = true;
        }
    }

    /// <summary>Reads more bytes into the buffer under the idle <paramref name="timeout"/>; false at end of stream.</summary>
    public ValueTask<bool> FillAsync(TimeSpan timeout)
    {
        _timeout.CancelAfter(timeout);
        return FillAsync();
    }

    /// <summary>Ends the current operation's timer; false when it already fired (the connection is then unusable).</summary>
    public bool StopTimer() => _timeout.TryReset();

    private async ValueTask<bool> FillAsync()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _receive.Length)
        {
            if (_start == 0)
            {
                throw new Http1ProtocolException($"response head larger than {ReceiveBufferBytes} bytes");
            }

            // Move the unread tail to the front: a head or chunk line split across reads.
            Buffer.BlockCopy(_receive, _start, _receive, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await _stream.ReadAsync(_receive.AsMemory(_end), _timeout.Token).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stream.Dispose();
        _timeout.Dispose();
    }
}
