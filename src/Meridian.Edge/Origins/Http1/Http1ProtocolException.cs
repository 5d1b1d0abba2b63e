namespace Meridian.Edge.Http1;

/// <summary>An origin's response broke HTTP/1.1's syntax or framing rules; the connection is not reused.</summary>
internal sealed class Http1ProtocolException(string message) : Exception(message);
