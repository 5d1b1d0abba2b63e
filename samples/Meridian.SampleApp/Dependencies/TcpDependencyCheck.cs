using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Meridian.SampleApp.Dependencies;

/// <summary>Connects to host:port and closes: proves something is listening, nothing more.</summary>
public sealed class TcpDependencyCheck : IDependencyCheck
{
    private readonly string _host;
    private readonly int _port;

    public TcpDependencyCheck(string name, string host, int port)
    {
        Name = name;
        _host = host;
        _port = port;
    }

    public string Name { get; }

    public async Task<DependencyCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(_host, _port, cancellationToken).ConfigureAwait(false);
            return DependencyCheckResult.Pass(Name, "connected", Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException)
        {
            return DependencyCheckResult.Fail(Name, "connect timed out", Stopwatch.GetElapsedTime(started));
        }
        catch (SocketException ex)
        {
            return DependencyCheckResult.Fail(Name, $"connect failed: {ex.SocketErrorCode}", Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Splits host:port, accepting [v6]:port.</summary>
    public static (string Host, int Port) SplitHostPort(string target)
    {
        var colon = target.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(target.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new FormatException($"tcp dependency '{target}': expected host:port with port 1-65535.");
        }

        var host = target[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return (host, port);
    }
}
