using Meridian.Storage.Errors;
using Microsoft.AspNetCore.Http;

namespace Meridian.Storage.Http;

/// <summary>Writes S3's error document (no body for HEAD and 304, as S3).</summary>
internal static class S3ErrorWriter
{
    public static async Task WriteAsync(HttpContext http, S3Exception error, string resource, string requestId)
    {
        if (http.Response.HasStarted)
        {
            http.Abort(); // mid-body: the only honest signal left is a cut connection
            return;
        }
        http.Response.Clear();
        http.Response.Headers["x-amz-request-id"] = requestId;
        foreach (var (name, value) in error.Headers)
        {
            http.Response.Headers[name] = value;
        }
        if (error.Status == 304)
        {
            http.Response.StatusCode = 304;
            return;
        }
        var root = S3Xml.E("Error",
            S3Xml.E("Code", error.Code),
            S3Xml.E("Message", error.Message),
            S3Xml.E("Resource", resource),
            S3Xml.E("RequestId", requestId));
        // S3's error documents carry no namespace.
        foreach (var element in root.DescendantsAndSelf())
        {
            element.Name = element.Name.LocalName;
        }
        await S3Xml.WriteAsync(http, root, error.Status).ConfigureAwait(false);
    }
}
