using Meridian.Edge.Http1;
using Meridian.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Edge;

/// <summary>
/// The terminal stage: forwards to the request's target (its cache behaviour's) with YARP, failing over along the origin group.
/// GET, HEAD and OPTIONS (without a body, which could not be replayed) move to the next candidate on a failover
/// status, a connection failure or a response timeout; the failed response is discarded before anything is sent.
/// Other methods go to the first available origin once and are never retried (they may not be idempotent).
/// A body-less GET, HEAD or OPTIONS to a plain-HTTP origin takes the direct HTTP/1.1 path (<see cref="Http1PassForwarder"/>).
/// </summary>
internal sealed class OriginForwarder(IHttpForwarder forwarder, EdgeEventLog events, TimeProvider time, ILogger logger)
{
    public Task ForwardAsync(EdgeRequestContext context)
    {
        var http = context.Http;
        // Without a cache stage in front (which installs it under its tee), the body is still the server's own.
        var original = http.Response.Body;
        var deferred = DeferredFlushBody.TryInstall(http);
        return ForwardToCandidatesAsync(context, deferred, original);
    }

    /// <remarks>
    /// One async method for the attempts and the deferred body's completion (an attempt that ends the request breaks out
    /// of the loop): a proxied request carries one state machine less.
    /// </remarks>
    private async Task ForwardToCandidatesAsync(EdgeRequestContext context, DeferredFlushBody? deferred, Stream original)
    {
        var http = context.Http;
        var completed = false;
        try
        {
            var group = context.Target;
            var candidates = group.Candidates();
            var canFailover = IsFailoverMethod(http.Request.Method) && !HasBody(http.Request);
            var count = canFailover ? candidates.Count : 1;

            for (var i = 0; i < count; i++)
            {
                var origin = candidates[i];
                var last = i == count - 1;
                if (!origin.TryBeginRequest())
                {
                    // Matched just before a reload removed this origin and its pool is gone: as if unreachable.
                    if (last)
                    {
                        http.Response.StatusCode = StatusCodes.Status502BadGateway;
                    }

                    continue;
                }

                context.Origin = origin.Name;
                context.Counters.OriginRequest(origin);
                var suppressOn = last ? null : group.FailoverOn;
                ForwarderError error;
                int? status;
                try
                {
                    if (canFailover && Http1PassForwarder.CanUse(http, origin, context.ExchangeHook))
                    {
                        var result = await Http1PassForwarder.SendAsync(context, origin, suppressOn, context.ExchangeHook as IDirectPassHook)
                            .ConfigureAwait(false);
                        (error, status) = (result.Error, result.Status);
                    }
                    else
                    {
                        var transformer = new EdgeTransformer(context.ViaHop, context.ViewerHost, suppressOn, origin.Uris, context.ExchangeHook);
                        error = await forwarder.SendAsync(http, origin.Prefix, origin.Invoker, origin.RequestConfig, transformer, http.RequestAborted)
                            .ConfigureAwait(false);
                        status = transformer.Status;
                    }
                }
                finally
                {
                    origin.EndRequest();
                }

                var exception = http.Features.Get<IForwarderErrorFeature>()?.Exception;
                var failure = OriginFailure.Classify(error, exception, status, group.FailoverOn, origin.Config.ResponseTimeout);
                if (failure is null)
                {
                    origin.Health.ReportPassiveSuccess(status);
                    break;
                }

                if (failure.Kind == OriginFailureKind.Client)
                {
                    break;
                }

                context.Counters.OriginError(origin);
                // A failover status on POST and the like may be the payload's fault, not the origin's: do not remember it.
                if (failure.Kind != OriginFailureKind.Status || canFailover)
                {
                    if (failure.TriggersFailover)
                    {
                        origin.Health.ReportPassiveFailure($"{http.Request.Method} {http.Request.Path}: {failure.Reason}");
                    }
                }

                if (last || !failure.TriggersFailover || http.Response.HasStarted)
                {
                    if (failure.Kind == OriginFailureKind.Timeout && !http.Response.HasStarted)
                    {
                        // YARP answers 502 for a handler exception; an origin timeout is a 504, as CloudFront answers.
                        http.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
                    }

                    break;
                }

                // Nothing was sent (a suppressed response or an error before headers): start the next attempt clean.
                http.Response.Clear();
                http.Features.Set<IForwarderErrorFeature>(null);
                context.Counters.Failover();
                var next = candidates[i + 1];
                var e = new EdgeEvent(time.GetUtcNow(), EdgeEventKind.Failover, context.Distribution.Name, origin.Name,
                    failure.Reason, context.Location, next.Name);
                events.Add(e);
                EdgeLog.FailedOver(logger, e);
            }

            if (deferred is not null)
            {
                await deferred.CompleteAsync(http).ConfigureAwait(false);
                completed = http.Features.Get<IForwarderErrorFeature>() is not { Error: not ForwarderError.None }
                    && !http.RequestAborted.IsCancellationRequested;
            }
        }
        finally
        {
            if (deferred is not null)
            {
                deferred.Uninstall(http, original);
                context.ExchangeHook?.OnForwarded(deferred.BytesWritten, completed);
            }
        }
    }

    private static bool IsFailoverMethod(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
