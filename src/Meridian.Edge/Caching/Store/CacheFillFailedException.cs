namespace Meridian.Edge.Caching;

/// <summary>
/// Thrown to readers of a streaming entry whose fill failed or was abandoned midway: the bytes they have are a
/// prefix of a response that will never complete, so they must fail their response (or retry at the origin).
/// </summary>
internal sealed class CacheFillFailedException(string message, Exception? inner = null) : Exception(message, inner);
