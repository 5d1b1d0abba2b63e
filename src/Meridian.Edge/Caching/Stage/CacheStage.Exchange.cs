using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Meridian.Forwarding;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Edge.Caching;

/// <summary>One request's exchange with the cache and the origin.</summary>
internal sealed partial class CacheStage
{
    /// <summary>One request's dealings with the cache and, through the hook, with the origin.</summary>
    private sealed partial class Exchange(
        CacheStage stage,
        EdgeRequestContext context,
        DistributionConfig config,
        CacheBehaviorConfig behavior,
        CacheKeyResult key,
        string storePath,
        CacheStore store,
        CacheBehaviorCounters counters)
    {
        private string Location => context.Location;

        public CancellationToken RequestAborted => context.Http.RequestAborted;

        private CacheKeyResult Key => key;

        private DistributionConfig Config => config;

        private CacheBehaviorConfig Behavior => behavior;

        private string StorePathValue => storePath;

        private TimeProvider Time => stage._time;

        /// <summary>A stored entry (fresh or not) was found.</summary>
        public async Task OnStoredAsync(CacheEntry entry, EdgeRequestDelegate next)
        {
            var now = Time.GetUtcNow();
            var meta = entry.Metadata;
            if (now < meta.Expires)
            {
                if (await ServeAsync(entry, CacheOutcome.Hit, null).ConfigureAwait(false))
                {
                    counters.Hit();
                    return;
                }

                // Its body was released (evicted or replaced meanwhile): fetch it again.
                store.TryBeginFill(key.Key, out var again);
                await FetchAsync(again, null, next).ConfigureAwait(false);
                return;
            }

            var staleFor = now - meta.Expires;
            if (staleFor < meta.StaleWhileRevalidate && await ServeAsync(entry, CacheOutcome.Hit, "while-revalidate").ConfigureAwait(false))
            {
                counters.Hit();
                counters.StaleServed();
                if (store.TryBeginRefresh(key.Key, entry, out var refresh))
                {
                    StartBackgroundRefresh(refresh, entry, next);
                }

                return;
            }

            if (staleFor < meta.StaleIfError && AllOriginsKnownDown()
                && await ServeAsync(entry, CacheOutcome.Hit, "if-error").ConfigureAwait(false))
            {
                counters.Hit();
                counters.StaleServed();
                return;
            }

            // Expired: revalidate (one fill at a time; others go to the origin without storing).
            store.TryBeginFill(key.Key, out var fill);
            await FetchAsync(fill, entry, next).ConfigureAwait(false);
        }

        private bool AllOriginsKnownDown()
        {
            foreach (var member in context.Target.Members)
            {
                if (member.Health.IsAvailable)
                {
                    return false;
                }
            }

            return true;
        }

        private void StartBackgroundRefresh(CacheFill fill, CacheEntry stale, EdgeRequestDelegate next)
        {
            var viewer = context.Http.Request;
            var background = new DefaultHttpContext();
            var request = background.Request;
            request.Method = HttpMethods.Get;
            request.Scheme = viewer.Scheme;
            request.Host = viewer.Host;
            request.Path = viewer.Path;
            request.QueryString = viewer.QueryString;
            request.Protocol = "HTTP/1.1";
            foreach (var (name, value) in viewer.Headers)
            {
                request.Headers[name] = value;
            }

            background.Response.Body = Stream.Null;
            var backgroundContext = new EdgeRequestContext(background, Location, context.Distribution, context.Counters)
            {
                Target = context.Target,
                ViaHop = context.ViaHop,
                ViewerHost = context.ViewerHost,
            };
            var exchange = new Exchange(stage, backgroundContext, config, behavior, key, storePath, store, counters);
            _ = Task.Run(async () =>
            {
                try
                {
                    await exchange.FetchAsync(fill, stale, next, backgroundRefresh: true).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    fill.Fail(ex);
                }
            });
        }

        /// <summary>
        /// Goes to the origin: as the filler when <paramref name="fill"/> is set, revalidating <paramref name="stale"/>
        /// when set (a 304 refreshes it; an origin failure serves it within its stale-if-error allowance).
        /// </summary>
        public async Task FetchAsync(CacheFill? fill, CacheEntry? stale, EdgeRequestDelegate next, bool backgroundRefresh = false)
        {
            var http = context.Http;
            var hook = new Hook(this, fill, stale);
            var original = http.Response.Body;
            // Under the tee: the origin's bytes reach the client with one flush per pause of the origin, not per write.
            var deferred = DeferredFlushBody.TryInstall(http);
            var body = http.Response.Body;
            var tee = new TeeStream(body);
            hook.Tee = tee;
            http.Response.Body = tee;
            context.ExchangeHook = hook;
            // A fill's fetch goes on when its viewer leaves mid-body: the viewers collapsed on it still get the object.
            using var detached = fill is not null && !backgroundRefresh ? new DetachedFillFetch(http, () => tee.Fill is { Retaining: true }) : null;
            if (detached is not null)
            {
                tee.FillDropped = detached.FillDropped;
            }

            try
            {
                await next(context).ConfigureAwait(false);
                await tee.FinishAsync().ConfigureAwait(false);
                if (deferred is not null)
                {
                    await deferred.CompleteAsync(http).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                fill?.Fail(ex);
                throw;
            }
            finally
            {
                context.ExchangeHook = null;
                http.Response.Body = body;
                deferred?.Uninstall(http, original);
                counters.FromOrigin(tee.BytesWritten);
            }

            var now = Time.GetUtcNow();
            if (hook.NotModified && stale is not null)
            {
                fill?.Abandon();
                var merged = CacheEntryHeaders.ToDictionary(stale.Headers);
                Revalidation.MergeNotModified(merged, hook.NotModifiedHeaders!);
                var decision = TtlCalculator.Decide(behavior, HttpMethods.Get, stale.Status, merged, now, config.ErrorCachingMinTtl);
                var metadata = CacheEntryHeaders.Metadata(merged, decision, now);
                store.Refresh(key.Key, metadata, CacheEntryHeaders.ToStored(merged));
                if (backgroundRefresh)
                {
                    return;
                }

                http.Response.Clear();
                var refreshed = store.TryGet(key.Key, out var e) ? e : new CacheEntry(stale.Key, stale.Path, stale.Status, CacheEntryHeaders.ToStored(merged), metadata, stale.Body);
                if (await ServeAsync(refreshed, CacheOutcome.RefreshHit, null).ConfigureAwait(false))
                {
                    counters.Hit();
                    return;
                }

                // The stale body was released meanwhile: fetch again without validators.
                await FetchAsync(null, null, next).ConfigureAwait(false);
                return;
            }

            var failed = hook.UseStale || (!http.Response.HasStarted && http.Response.StatusCode >= 500);
            if (failed && stale is not null && !backgroundRefresh && now - stale.Metadata.Expires < stale.Metadata.StaleIfError)
            {
                fill?.Abandon();
                http.Response.Clear();
                http.Features.Set<IForwarderErrorFeature>(null);
                context.Origin = null; // no X-Edge-Origin: the origin did not answer this response
                if (await ServeAsync(stale, CacheOutcome.Hit, "if-error").ConfigureAwait(false))
                {
                    counters.StaleServed();
                    counters.Hit();
                    return;
                }

                http.Response.StatusCode = StatusCodes.Status502BadGateway;
                return;
            }

            // RequestAborted is still the fetch's own token here when the fetch is detached (restored on dispose).
            var error = http.Features.Get<IForwarderErrorFeature>();
            var completed = (error is null || error.Error == ForwarderError.None) && !http.RequestAborted.IsCancellationRequested;
            if (!backgroundRefresh)
            {
                counters.Miss();
                RememberStorability(hook.Storable, completed);
            }

            if (tee.Fill is { } started)
            {
                if (!completed)
                {
                    started.Fail(error?.Exception ?? new CacheFillFailedException("the origin response did not complete"));
                }
                else
                {
                    started.Complete();
                }
            }
            else
            {
                fill?.Abandon();
            }
        }

        /// <summary>
        /// Hit-for-miss (<see cref="UncacheableMarkers"/>): a complete answer the rules would not store marks the key,
        /// so its next misses are not collapsed; a storable one clears the mark.
        /// </summary>
        private void RememberStorability(bool? storable, bool completed)
        {
            if (completed)
            {
                store.Uncacheable.Remember(key.Key, storable);
            }
        }

        /// <summary>Serves a stored (or streaming) entry; false when its body is gone (released) or it failed early.</summary>
        public async Task<bool> ServeAsync(CacheEntry entry, CacheOutcome outcome, string? stale)
        {
            if (!entry.Body.TryOpenReader(out var reader))
            {
                return false;
            }

            using (reader)
            {
                var http = context.Http;
                var response = http.Response;
                response.StatusCode = entry.Status;
                var headers = response.Headers;
                foreach (var (name, value) in entry.Headers)
                {
                    headers.Append(name, value);
                }

                var now = Time.GetUtcNow();
                headers.Age = Revalidation.AgeHeaderValue(now - entry.Metadata.StoredAt);
                // CloudFront reports a cached error response as "Error" too.
                headers["X-Cache"] = Revalidation.XCache(entry.Status >= 400 ? CacheOutcome.Error : outcome, Location);
                if (stale is not null)
                {
                    headers[StaleHeader] = stale;
                }

                AppendVia(headers);
                var request = http.Request;
                var conditional = request.Headers.ContainsKey(HeaderNames.IfNoneMatch) || request.Headers.ContainsKey(HeaderNames.IfModifiedSince);
                if (conditional && Revalidation.IsNotModified(request.Method, request.Headers, entry.Status, CacheEntryHeaders.ToDictionary(entry.Headers)))
                {
                    response.StatusCode = StatusCodes.Status304NotModified;
                    return true;
                }

                if (entry.Body.IsCompleted)
                {
                    response.ContentLength = entry.Body.Length;
                }

                if (HttpMethods.IsHead(request.Method) || entry.Status is 204 or 304)
                {
                    return true;
                }

                try
                {
                    var before = entry.Body.Length;
                    await reader.CopyToAsync(response.Body, http.RequestAborted).ConfigureAwait(false);
                    counters.Served(entry.Body.Length);
                }
                catch (CacheFillFailedException) when (!response.HasStarted)
                {
                    response.Clear();
                    return false;
                }
                catch (CacheFillFailedException)
                {
                    http.Abort();
                }

                return true;
            }
        }

        private void AppendVia(IHeaderDictionary headers) => CacheStage.AppendVia(headers, context.ViaHop);
    }
}
