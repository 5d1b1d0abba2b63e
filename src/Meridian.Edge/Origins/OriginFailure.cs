using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Edge;

/// <summary>Why one origin attempt failed, and whether that failure lets a GET/HEAD/OPTIONS move to the next member.</summary>
internal sealed record OriginFailure(OriginFailureKind Kind, string Reason)
{
    public bool TriggersFailover => Kind is OriginFailureKind.Status or OriginFailureKind.Connection or OriginFailureKind.Timeout;

    /// <summary>Classifies a forwarding result; null means the origin answered acceptably.</summary>
    public static OriginFailure? Classify(ForwarderError error, Exception? exception, int? status, IReadOnlySet<int> failoverOn, TimeSpan responseTimeout)
    {
        if (error == ForwarderError.None)
        {
            return status is { } code && failoverOn.Contains(code)
                ? new OriginFailure(OriginFailureKind.Status, $"HTTP {code}")
                : null;
        }

        if (Find<OriginResponseTimeoutException>(exception) is not null)
        {
            return new OriginFailure(OriginFailureKind.Timeout, $"response timeout ({responseTimeout.TotalMilliseconds:0} ms)");
        }

        return error switch
        {
            // Nothing came back: refused, timed out connecting, reset, or the origin closed without answering.
            ForwarderError.Request or ForwarderError.RequestTimedOut =>
                new OriginFailure(OriginFailureKind.Connection, exception is null ? "request failed" : Describe(exception)),
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
                or ForwarderError.ResponseBodyClient or ForwarderError.ResponseBodyCanceled =>
                new OriginFailure(OriginFailureKind.Client, $"client side: {error}"),
            _ => new OriginFailure(OriginFailureKind.Other, exception is null ? error.ToString() : $"{error}: {Describe(exception)}"),
        };
    }

    /// <summary>A short reason for logs and events: the socket error when there is one.</summary>
    public static string Describe(Exception exception)
    {
        if (Find<SocketException>(exception) is { } socket)
        {
            return $"connection failed ({socket.SocketErrorCode})";
        }

        if (Find<OriginResponseTimeoutException>(exception) is { } timeout)
        {
            return $"response timeout ({timeout.Timeout.TotalMilliseconds:0} ms)";
        }

        return exception is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http
            ? $"request failed ({http.HttpRequestError})"
            : exception.GetBaseException().Message;
    }

    private static T? Find<T>(Exception? exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
