namespace Meridian.Edge;

internal enum OriginFailureKind
{
    /// <summary>The origin answered with a status of the group's <c>FailoverOn</c> list.</summary>
    Status,

    /// <summary>No connection, or the connection failed before response headers.</summary>
    Connection,

    /// <summary>No response headers within the response timeout.</summary>
    Timeout,

    /// <summary>The client went away or failed; not the origin's fault.</summary>
    Client,

    /// <summary>Any other forwarding error (e.g. the response body broke after headers were sent).</summary>
    Other,
}
