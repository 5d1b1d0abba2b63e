namespace Meridian.Edge.Http1;

/// <summary>How an origin response's body is delimited on the connection (RFC 9112 §6.3).</summary>
internal enum Http1BodyFraming
{
    /// <summary>No body: HEAD, 1xx, 204, 304, or <c>Content-Length: 0</c>.</summary>
    None,

    /// <summary><c>Content-Length</c> bytes.</summary>
    ContentLength,

    /// <summary><c>Transfer-Encoding: chunked</c>.</summary>
    Chunked,

    /// <summary>Until the origin closes the connection (no framing, or a transfer coding other than chunked last).</summary>
    UntilClose,
}
