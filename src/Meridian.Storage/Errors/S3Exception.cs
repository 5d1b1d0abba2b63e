namespace Meridian.Storage.Errors;

/// <summary>An S3 error response: its code (NoSuchKey, ...), HTTP status and message; extra headers for HEAD/GET.</summary>
internal sealed class S3Exception(string code, int status, string message) : Exception(message)
{
    public string Code { get; } = code;

    public int Status { get; } = status;

    /// <summary>Response headers S3 sends with this error (x-amz-delete-marker on a deleted key, ...).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public S3Exception With(string header, string value)
    {
        Headers[header] = value;
        return this;
    }
}
