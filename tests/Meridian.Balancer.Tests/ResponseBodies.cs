using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Meridian.Balancer.Tests;

/// <summary>
/// Target responses with bodies of a given shape: <c>/bytes/N</c> (Content-Length), <c>/chunked/N</c> (no length, so
/// chunked, written in 3 parts), <c>/stream</c> ("first", flushed, then "second" once the test releases it).
/// </summary>
internal static class ResponseBodies
{
    public static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)('a' + (i * 7 % 26));
        }

        return bytes;
    }

    public static async Task<bool> TryServeAsync(HttpContext context, Func<Task> waitForRelease)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith("/bytes/", StringComparison.Ordinal))
        {
            var body = Pattern(int.Parse(path["/bytes/".Length..], CultureInfo.InvariantCulture));
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
            return true;
        }

        if (path.StartsWith("/chunked/", StringComparison.Ordinal))
        {
            var body = Pattern(int.Parse(path["/chunked/".Length..], CultureInfo.InvariantCulture));
            var third = body.Length / 3;
            await context.Response.Body.WriteAsync(body.AsMemory(0, third));
            await context.Response.Body.WriteAsync(body.AsMemory(third, third));
            await context.Response.Body.WriteAsync(body.AsMemory(2 * third));
            return true;
        }

        if (path == "/truncated")
        {
            // Promises 50,000 bytes, sends 10,000, then resets the connection.
            context.Response.ContentLength = 50_000;
            await context.Response.Body.WriteAsync(Pattern(10_000));
            await context.Response.Body.FlushAsync();
            context.Abort();
            return true;
        }

        if (path == "/stream")
        {
            var released = waitForRelease(); // taken before "first" leaves: the test releases after reading it
            await context.Response.WriteAsync("first");
            await context.Response.Body.FlushAsync();
            await released;
            await context.Response.WriteAsync("second");
            return true;
        }

        return false;
    }
}
