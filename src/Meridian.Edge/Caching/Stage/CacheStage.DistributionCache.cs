using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Edge.Caching;

/// <summary>Per-distribution behaviour matching and key builders.</summary>
internal sealed partial class CacheStage
{
    private sealed class DistributionCache(DistributionConfig config)
    {
        // A configuration built in code may have no behaviours (the loader always adds the default one): then every
        // method is allowed, as the edge did before caching, with CloudFront's default TTLs and key.
        private readonly BehaviorMatcher _matcher = new(config.Behaviors,
            new CacheBehaviorConfig { PathPattern = "*", Target = config.Target, AllowedMethods = AllowedMethods.All });
        private readonly CacheKeyBuilder[] _builders = [.. config.Behaviors.Select(b => new CacheKeyBuilder(b.CacheKey))];
        private readonly CacheKeyBuilder _fallbackBuilder = new(CacheKeyConfig.Default);

        public (CacheBehaviorConfig Behavior, CacheKeyBuilder Builder) Match(string path)
        {
            var index = _matcher.MatchIndex(path);
            return index >= 0 ? (config.Behaviors[index], _builders[index]) : (_matcher.Fallback!, _fallbackBuilder);
        }
    }
}
