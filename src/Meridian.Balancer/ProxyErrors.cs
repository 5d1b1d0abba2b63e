using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Balancer;

/// <summary>Classifies forwarding failures: which ones say "the target is not there" (passive health).</summary>
internal static class ProxyErrors
{
    /// <summary>
    /// True when the request never got a response because the connection failed (refused, reset, unreachable,
    /// closed before a response). Timeouts and client aborts are not target failures here: ALB answers 504/460.
    /// </summary>
    public static bool IsConnectionFailure(ForwarderError error, Exception? exception)
    {
        if (error != ForwarderError.Request || exception is null)
        {
            return false;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException:
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded }:
                    return true;
            }
        }

        return false;
    }

    /// <summary>A short reason for events: the socket error when there is one ("ConnectionRefused").</summary>
    public static string Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return $"connection failed ({socket.SocketErrorCode})";
            }
        }

        return exception is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http
            ? $"{http.HttpRequestError}: {http.Message}"
            : exception.Message;
    }
}
