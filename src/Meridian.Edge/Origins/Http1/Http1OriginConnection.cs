namespace Meridian.Edge.Http1;

/// <summary>
/// One keep-alive HTTP/1.1 connection to an origin: its stream, one receive buffer whose unread bytes carry over from
/// a response head to its body, a reusable send buffer and head, and a timer source for its reads. Used by one
/// request at a time (the pool hands it out exclusively).
/// </summary>
internal sealed class Http1OriginConnection : IDisposable
{
    /// <summary>The receive buffer's first size; it grows (to the parser's head limit) only for a head that does not fit.</summary>
    public const int ReceiveBufferBytes = 16 * 1024;

    private readonly Stream _stream;
    private readonly CancellationTokenSource _timeout;
    private ValueTask<int> _readAhead;
    private bool _readingAhead;
    private byte[] _receive = new byte[ReceiveBufferBytes];
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
        if (!_readingAhead)
        {
            _start = _end = 0;
        }

        await _stream.WriteAsync(SendBuffer.AsMemory(0, length), _timeout.Token).ConfigureAwait(false);
        var received = false;
        if (_readingAhead)
        {
            // The read issued when the connection went idle now waits for this response: no read of its own.
            _readingAhead = false;
            _end = await _readAhead.ConfigureAwait(false);
            if (_end == 0)
            {
                return false;
            }

            received = true;
        }

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

    /// <summary>
    /// Reads more body bytes under the idle <paramref name="timeout"/>, which runs only while reading (not while the
    /// viewer is being written to); false at end of stream.
    /// </summary>
    /// <exception cref="OperationCanceledException">The timeout fired, or <see cref="Cancel"/> was called.</exception>
    public async ValueTask<bool> FillAsync(TimeSpan timeout)
    {
        _timeout.CancelAfter(timeout);
        var more = await FillAsync().ConfigureAwait(false);
        if (!_timeout.TryReset())
        {
            throw new OperationCanceledException(_timeout.Token);
        }

        return more;
    }

    /// <summary>Ends the current operation's timer; false when it already fired (the connection is then unusable).</summary>
    public bool StopTimer() => _timeout.TryReset();

    /// <summary>
    /// Called as the connection goes idle in the pool: starts the read the next response will arrive by. Anything that
    /// completes it before a request is sent (bytes no request asked for, the origin closing the connection, a reset)
    /// makes the connection unusable (<see cref="IdleReadCompleted"/>), the way SocketsHttpHandler's read-ahead and nginx's
    /// idle keep-alive handler detect it. It costs no extra system call: it replaces the first read after the next send.
    /// </summary>
    /// <returns>False when the read could not be started (the connection is unusable).</returns>
    public bool StartIdleRead()
    {
        _start = _end = 0;
        try
        {
            _readAhead = _stream.ReadAsync(_receive, _timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return false;
        }

        _readingAhead = true;
        return !_readAhead.IsCompleted;
    }

    /// <summary>True when the idle read completed: the connection received something (or closed) while idle.</summary>
    public bool IdleReadCompleted => _readingAhead && _readAhead.IsCompleted;

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
                // Only a head (or a chunk line, bounded far below) can fill the buffer unconsumed.
                if (_receive.Length >= Http1ResponseParser.MaxHeadBytes)
                {
                    throw new Http1ProtocolException($"response head larger than {Http1ResponseParser.MaxHeadBytes} bytes");
                }

                Array.Resize(ref _receive, Math.Min(_receive.Length * 2, Http1ResponseParser.MaxHeadBytes));
            }
            else
            {
                // Move the unread tail to the front: a head or chunk line split across reads.
                Buffer.BlockCopy(_receive, _start, _receive, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
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
