using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Edge.Caching;

/// <summary>
/// The edge cache: viewer policy, cache key, store lookup (hit / collapsed wait / fill), revalidation,
/// stale-while-revalidate, stale-if-error and compression, in front of the origin forwarder. One
/// <see cref="CacheStore"/> per location; entries are stored under the path "<c>distribution|path</c>" so an
/// invalidation touches one distribution only.
/// </summary>
/// <remarks>
/// X-Cache: <c>Hit</c> (fresh, collapsed wait, or stale served — then <c>X-Meridian-Stale: while-revalidate|if-error</c>
/// says why), <c>RefreshHit</c> (a 304 revalidation), <c>Miss</c> (from the origin), <c>Error</c> (an origin error
/// status with no stale copy to serve).
/// </remarks>
internal sealed partial class CacheStage(CacheStoreOptions options, TimeProvider time) : IEdgeStage, IAsyncDisposable
{
    public const string StaleHeader = "X-Meridian-Stale";

    private readonly ConcurrentDictionary<string, CacheStore> _stores = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<DistributionConfig, DistributionCache> _distributions = new();

    private readonly TimeProvider _time = time;
    private CacheStoreOptions _options = options;
    private bool _disposed;

    public CacheMetricsRegistry Metrics { get; } = new();

    /// <summary>The HTTPS port of each location (for redirect-to-https Locations); 443 when absent.</summary>
    public ConcurrentDictionary<string, int?> HttpsPorts { get; } = new(StringComparer.Ordinal);

    public CacheStore Store(string location) => _stores.TryGetValue(location, out var store) ? store : AddStore(location);

    // Under a lock, not GetOrAdd: a store with a disk tier starts its loader and writer, so exactly one is created.
    private CacheStore AddStore(string location)
    {
        lock (_stores)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_stores.TryGetValue(location, out var store))
            {
                store = new CacheStore(Volatile.Read(ref _options).ForLocation(location), _time);
                _stores[location] = store;
            }

            return store;
        }
    }

    /// <summary>New store limits from a reloaded topology, applied to every location's store (entries are kept, down to the new bound).</summary>
    public void Reconfigure(CacheStoreOptions options)
    {
        lock (_stores)
        {
            if (_disposed)
            {
                return;
            }

            // Every location's disk folder first: a folder that cannot be created fails the reload before anything changed.
            foreach (var location in _stores.Keys)
            {
                if (options.ForLocation(location).DiskPath is { } folder)
                {
                    DiskCacheTier.EnsureFolder(folder);
                }
            }

            Volatile.Write(ref _options, options);
            foreach (var (location, store) in _stores)
            {
                store.Reconfigure(options.ForLocation(location));
            }
        }
    }

    /// <summary>Stops the stores' disk tiers (queued writes get a few seconds to finish).</summary>
    public async ValueTask DisposeAsync()
    {
        CacheStore[] stores;
        lock (_stores)
        {
            _disposed = true;
            stores = [.. _stores.Values];
        }

        foreach (var store in stores)
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }
    }

    public IReadOnlyCollection<string> Locations => [.. _stores.Keys];

    internal static string StorePath(string distribution, string path) => $"{distribution}|{path}";

    /// <summary>Adds this location's <c>Via</c> entry (formatted once per location) to a response from the origin or the cache.</summary>
    internal static void AppendVia(IHeaderDictionary headers, string hop)
    {
        var via = headers.Via.ToString();
        headers.Via = via.Length == 0 ? hop : $"{via}, {hop}";
    }

    /// <remarks>
    /// Not an async method: the paths that need no work after the origin side (a hit, a pass, a fill) return the
    /// exchange's task directly, so a proxied request carries one async state machine less.
    /// </remarks>
    public Task InvokeAsync(EdgeRequestContext context, EdgeRequestDelegate next)
    {
        var config = context.Distribution.Config;
        if (config is null)
        {
            return next(context);
        }

        var http = context.Http;
        var request = http.Request;
        var path = request.Path.Value is { Length: > 0 } p ? p : "/";
        var hint = context.KeyHint;
        var (behavior, builder, uncached) = hint is not null
            ? (hint.Behavior, hint.Builder, hint.Uncached)
            : _distributions.GetValue(config, static c => new DistributionCache(c)).Match(path);
        context.Target = context.Distribution.TargetFor(behavior.Target);
        if (hint is { Pass: true } && Meridian.Forwarding.DeferredFlushBody.CanInstall(http))
        {
            // The hit path saw a GET or HEAD without a body or validators, a viewer protocol that lets it through, and a
            // key marked hit-for-miss: the viewer policy has nothing to say, and the pass needs no exchange. (The
            // forwarder's own deferred-flush body reports the pass's end to the hook: OnForwarded.)
            var behaviorCounters = Metrics.For(context.Location, config.Name, behavior.PathPattern);
            var passStore = Store(context.Location);
            passStore.RecordMiss();
            context.ExchangeHook = new PassHook(config, behavior, hint.Key!, passStore, behaviorCounters, context.Location,
                context.ViaHop, _time);
            return next(context);
        }

        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        // The redirect's Location is the only use of the full URL: not concatenated for other behaviours.
        var redirect = behavior.ViewerProtocol == ViewerProtocolPolicy.RedirectToHttps;
        var pathAndQuery = redirect ? path + request.QueryString.Value : path;
        var httpsPort = redirect && HttpsPorts.TryGetValue(context.Location, out var port) ? port : null;
        var viewer = ViewerPolicy.Evaluate(request.Scheme, request.Method, behavior, context.ViewerHost ?? "", pathAndQuery, httpsPort, hasBody);
        if (viewer.Action != ViewerAction.Continue)
        {
            http.Response.StatusCode = viewer.StatusCode;
            if (viewer.Location is not null)
            {
                http.Response.Headers.Location = viewer.Location;
            }

            return Task.CompletedTask;
        }

        if (uncached is not null)
        {
            // Caching disabled: no key, lookup or fill; the key settings still shape the origin request.
            var at = uncached.At(context.Location, context.ViaHop, Metrics);
            at.Counters.Miss();
            var shape = builder.OriginShape(request.Method, request.QueryString.Value, request.Headers, request.Protocol == "HTTP/1.0",
                out var shared);
            context.ExchangeHook = at.Hook(shape, shared);
            return next(context);
        }

        if (!TtlCalculator.IsCachedMethod(behavior.CachedMethods, request.Method))
        {
            return next(context);
        }

        var key = hint?.Key ?? builder.Build(request.Method, config.Name, path, request.QueryString.Value, request.Headers,
            http10: request.Protocol == "HTTP/1.0", forwardedScheme: request.Scheme, forwardedHost: context.ViewerHost);
        var store = Store(context.Location);
        var counters = Metrics.For(context.Location, config.Name, behavior.PathPattern);
        var exchange = new Exchange(this, context, config, behavior, key, StorePath(config.Name, path), store, counters);
        var lookup = store.GetOrBeginFill(key.Key);
        switch (lookup.Kind)
        {
            case CacheLookupKind.Hit:
                return exchange.OnStoredAsync(lookup.Entry!, next);
            case CacheLookupKind.Wait:
                counters.Collapsed();
                return WaitThenServeAsync(exchange, lookup, counters, next);
            case CacheLookupKind.Pass:
                return exchange.FetchAsync(null, null, next);
            default:
                return store.Disk is null ? exchange.FetchAsync(lookup.Fill, null, next) : LoadOrFetchAsync(exchange, store, lookup.Fill!, next);
        }
    }

    /// <summary>A collapsed request: the filler's entry once it has headers, else the origin (timeout, failure, not stored).</summary>
    private static async Task WaitThenServeAsync(Exchange exchange, CacheLookup lookup, CacheBehaviorCounters counters, EdgeRequestDelegate next)
    {
        var entry = await lookup.WaitAsync(exchange.RequestAborted).ConfigureAwait(false);
        if (entry is not null && await exchange.ServeAsync(entry, CacheOutcome.Hit, stale: null).ConfigureAwait(false))
        {
            counters.Hit();
            return;
        }

        await exchange.FetchAsync(null, null, next).ConfigureAwait(false);
    }

    /// <summary>A memory miss may be on disk: read back, it is stored in memory and answers the collapsed waiters too.</summary>
    private static async Task LoadOrFetchAsync(Exchange exchange, CacheStore store, CacheFill fill, EdgeRequestDelegate next)
    {
        if (await store.TryLoadFromDiskAsync(fill).ConfigureAwait(false) is { } loaded)
        {
            await exchange.OnStoredAsync(loaded, next).ConfigureAwait(false);
            return;
        }

        await exchange.FetchAsync(fill, null, next).ConfigureAwait(false);
    }

    public int Invalidate(string distribution, string pattern)
    {
        var normalized = pattern.Length == 0 || (pattern[0] != '/' && pattern[0] != '*') ? "/" + pattern : pattern;
        if (normalized == "*")
        {
            normalized = "/*";
        }

        var count = 0;
        foreach (var store in _stores.Values)
        {
            count += store.Invalidate(StorePath(distribution, normalized));
        }

        return count;
    }
}
