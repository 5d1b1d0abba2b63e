using System.Globalization;
using Meridian.Forwarding;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Balancer;

/// <summary>
/// The listener's only request handler: the balancer's health endpoint, else pick a target and forward with
/// YARP's <see cref="IHttpForwarder"/>. A connection failure marks the target unhealthy at once and an idempotent,
/// bodiless request is retried once on another target while nothing has been sent to the client.
/// </summary>
internal sealed class ProxyHandler
{
    private const int MaxClientRequestIdLength = 200;

    private readonly string _name;
    private readonly Func<LoadBalancerConfig> _config;
    private readonly TargetGroup _group;
    private readonly CounterSet _counters;
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _invoker;
    private readonly ForwarderRequestConfig _requestConfig;
    private readonly ILogger _logger;
    private readonly DestinationUriCache _uris = new();

    public ProxyHandler(string name, Func<LoadBalancerConfig> config, TargetGroup group, CounterSet counters,
        IHttpForwarder forwarder, HttpMessageInvoker invoker, ForwarderRequestConfig requestConfig, ILogger logger)
    {
        _name = name;
        _config = config;
        _group = group;
        _counters = counters;
        _forwarder = forwarder;
        _invoker = invoker;
        _requestConfig = requestConfig;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var config = _config();
        if (IsHealthEndpoint(context.Request, config))
        {
            await WriteHealthAsync(context).ConfigureAwait(false);
            return;
        }

        _counters.Request();
        var header = config.RequestIdHeader;
        var id = context.Request.Headers[header].ToString();
        if (id.Length is 0 or > MaxClientRequestIdLength)
        {
            id = RequestIds.Next();
        }

        var transformer = new ForwardingTransformer(context, header, id, _uris);
        // OnStarting: every response carries the id, the target's, a retry's or the balancer's own 5xx.
        context.Response.OnStarting(ForwardingTransformer.SetResponseId, transformer);

        var body = context.Response.Body;
        var deferred = DeferredFlushBody.TryInstall(context);
        try
        {
            await ForwardAsync(context, transformer).ConfigureAwait(false);
            if (deferred is not null)
            {
                await deferred.CompleteAsync(context).ConfigureAwait(false);
            }
        }
        finally
        {
            deferred?.Uninstall(context, body);
        }

        if (context.Response.StatusCode >= 500)
        {
            _counters.Response5xx();
        }
    }

    private async Task ForwardAsync(HttpContext context, ForwardingTransformer transformer)
    {
        Target? failed = null;
        while (true)
        {
            var target = _group.Acquire(failed);
            if (target is null)
            {
                if (failed is not null)
                {
                    // The retry found no other target: report the original failure.
                    context.Response.StatusCode = StatusCodes.Status502BadGateway;
                    return;
                }

                _counters.NoTarget();
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("no healthy targets\n", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            _counters.TargetRequest(target.Key);
            ForwarderError error;
            // After the deregistration delay the target is removed and its remaining requests are cut (ALB does too).
            var registration = target.Removed.Token.Register(static state => ((HttpContext)state!).Abort(), context);
            try
            {
                error = await _forwarder.SendAsync(context, target.Prefix, _invoker, _requestConfig, transformer).ConfigureAwait(false);
            }
            finally
            {
                await registration.DisposeAsync().ConfigureAwait(false);
                _group.Release(target);
            }

            if (error == ForwarderError.None)
            {
                return;
            }

            var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            if (!ProxyErrors.IsConnectionFailure(error, exception))
            {
                return;
            }

            _group.ReportPassiveFailure(target, ProxyErrors.Describe(exception!));
            if (failed is not null || !CanRetry(context))
            {
                return;
            }

            // YARP set a 502 and an error feature; nothing reached the client, so start over on another target.
            context.Response.Clear();
            context.Features.Set<IForwarderErrorFeature>(null);
            _counters.Retry();
            BalancerLog.Retry(_logger, _name, context.Request.Method, context.Request.Path.Value ?? "/", target.Key);
            failed = target;
        }
    }

    private static bool CanRetry(HttpContext context)
    {
        var method = context.Request.Method;
        var idempotent = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
        // A body may already be partly consumed by the failed attempt; it cannot be replayed.
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;
        return idempotent && !hasBody && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested;
    }

    private static bool IsHealthEndpoint(HttpRequest request, LoadBalancerConfig config) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && string.Equals(request.Path.Value, config.HealthEndpoint, StringComparison.Ordinal);

    private Task WriteHealthAsync(HttpContext context)
    {
        var healthy = _group.HealthyCount;
        var response = context.Response;
        response.StatusCode = healthy > 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        var body = string.Create(CultureInfo.InvariantCulture,
            $"{{\"status\":\"{(healthy > 0 ? "ok" : "unhealthy")}\",\"healthyTargets\":{healthy}}}");
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.WriteAsync(body, context.RequestAborted);
    }
}
