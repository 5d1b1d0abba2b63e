using System.Text;
using Meridian.Storage.Errors;

namespace Meridian.Storage.Payload;

/// <summary>A read buffer over the request body for the aws-chunked framing: bounded lines and raw bytes.</summary>
internal sealed class BodyBuffer(Stream inner, int size = 64 * 1024)
{
    private readonly byte[] _buffer = new byte[size];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>Reads a line ending in CRLF (without it). Null at a clean end of the body; IncompleteBody when cut mid-line.</summary>
    public async ValueTask<string?> ReadLineAsync(int maxLength, CancellationToken token)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(token).ConfigureAwait(false))
            {
                if (line.Length == 0)
                {
                    return null;
                }
                throw S3Errors.IncompleteBody();
            }
            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            var take = lf < 0 ? span.Length : lf;
            if (line.Length + take > maxLength + 1)
            {
                throw S3Errors.InvalidRequest("Malformed aws-chunked encoding: line too long");
            }
            line.Append(Encoding.ASCII.GetString(span[..take]));
            _start += lf < 0 ? take : take + 1;
            if (lf >= 0)
            {
                if (line.Length == 0 || line[^1] != '\r')
                {
                    throw S3Errors.InvalidRequest("Malformed aws-chunked encoding: lines must end with CRLF");
                }
                return line.ToString(0, line.Length - 1);
            }
        }
    }

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes; 0 only at the end of the body.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken token)
    {
        if (_start == _end)
        {
            if (destination.Length >= _buffer.Length && !_eof)
            {
                var direct = await inner.ReadAsync(destination, token).ConfigureAwait(false);
                _eof = direct == 0;
                return direct;
            }
            if (!await FillAsync(token).ConfigureAwait(false))
            {
                return 0;
            }
        }
        var n = Math.Min(destination.Length, _end - _start);
        _buffer.AsMemory(_start, n).CopyTo(destination);
        _start += n;
        return n;
    }

    private async ValueTask<bool> FillAsync(CancellationToken token)
    {
        if (_eof)
        {
            return false;
        }
        _start = 0;
        _end = await inner.ReadAsync(_buffer, token).ConfigureAwait(false);
        _eof = _end == 0;
        return _end > 0;
    }
}
