namespace Meridian.Edge.Http1;

/// <summary>
/// An origin's parsed response head. Reused per connection: <see cref="Reset"/> clears it for the next response, so a
/// proxied response allocates only its header strings.
/// </summary>
internal sealed class Http1ResponseHead
{
    public int Status { get; set; }

    /// <summary>The reason phrase when it is not the status code's standard one (relayed to HTTP/1.x viewers), else null.</summary>
    public string? Reason { get; set; }

    /// <summary>The minor version of HTTP/1.x (0 or 1).</summary>
    public int MinorVersion { get; set; }

    /// <summary>End-to-end headers in the order received; framing and hop-by-hop headers are kept out (see <see cref="Http1HeaderRules"/>).</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public Http1BodyFraming Framing { get; set; }

    /// <summary>The body length when <see cref="Framing"/> is <see cref="Http1BodyFraming.ContentLength"/>.</summary>
    public long ContentLength { get; set; }

    /// <summary>Whether the connection may carry another request once this response is read to its end.</summary>
    public bool KeepAlive { get; set; }

    public void Reset()
    {
        Status = 0;
        Reason = null;
        MinorVersion = 0;
        Headers.Clear();
        Framing = Http1BodyFraming.None;
        ContentLength = 0;
        KeepAlive = false;
    }
}
