using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Meridian.SampleApp;

/// <summary>Middleware shared by every endpoint: identity headers, request log, injected faults.</summary>
internal static class RequestPipeline
{
    public static void Use(WebApplication app, SampleAppOptions options, SampleAppControl control, ILogger logger)
    {
        // Set before anything runs so even 404s, 304s and injected errors show who answered.
        app.Use((context, next) =>
        {
            context.Response.Headers["X-Instance"] = options.InstanceId;
            context.Response.Headers["X-Region"] = options.Region;
            return next(context);
        });

        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                logger.LogInformation(
                    "{Method} {Path} -> {Status} in {ElapsedMs:F1} ms",
                    context.Request.Method,
                    context.Request.Path.Value,
                    context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });

        app.Use(async (context, next) =>
        {
            // Admin stays responsive in every mode, or a drill could not switch an instance back.
            if (context.Request.Path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            control.CountRequest();
            var mode = control.Mode;
            if (mode.IsSlow)
            {
                try
                {
                    await DelayAtLeastAsync(mode.Delay, options.Time, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    return; // the client gave up (a timed-out health checker); nothing left to answer
                }
            }

            // /health keeps telling the truth about dependencies in error mode: that is the case edge origin
            // failover catches and DNS health checks miss. It only fails when the mode also says unhealthy.
            if (mode.ErrorStatus is { } status && !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = status;
                context.Response.Headers.CacheControl = "no-store";
                context.Response.ContentType = "application/json; charset=utf-8";
                await JsonSerializer.SerializeAsync(
                    context.Response.Body,
                    new { error = "injected by admin mode", status, instance = options.InstanceId, region = options.Region },
                    cancellationToken: context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Timers may fire up to a tick early; slow mode promises "at least", so top up until the delay has
    /// really elapsed on the same clock.
    /// </summary>
    private static async Task DelayAtLeastAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var remaining = delay;
        while (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : remaining, time, cancellationToken)
                .ConfigureAwait(false);
            remaining = delay - time.GetElapsedTime(started);
        }
    }
}
