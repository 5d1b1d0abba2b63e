using System.Net.Sockets;
using System.Security.Authentication;

namespace Meridian.Health;

/// <summary>Turns probe exceptions into short operator-readable reasons ("connection refused").</summary>
internal static class ProbeErrors
{
    public static string Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException se:
                    return Describe(se.SocketErrorCode);
                case AuthenticationException ae:
                    return $"TLS handshake failed: {ae.Message}";
            }
        }

        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost.Message.Length > 0 ? innermost.Message : innermost.GetType().Name;
    }

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset",
        SocketError.ConnectionAborted => "connection aborted",
        SocketError.TimedOut => "connect timed out",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable or SocketError.NetworkDown => "network unreachable",
        _ => $"socket error {error}",
    };
}
