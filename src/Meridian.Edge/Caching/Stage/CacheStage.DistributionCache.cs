using Meridian.Topology.Model;

namespace Meridian.Edge.Caching;

/// <summary>Per-distribution behaviour matching and key builders.</summary>
internal sealed partial class CacheStage
{
    private sealed class DistributionCache
    {
        private readonly DistributionConfig _config;
        private readonly BehaviorMatcher _matcher;
        private readonly CacheKeyBuilder[] _builders;
        private readonly CacheKeyBuilder _fallbackBuilder = new(CacheKeyConfig.Default);

        // The behaviours with caching disabled (null for the others).
        private readonly UncachedBehavior?[] _uncached;

        public DistributionCache(DistributionConfig config)
        {
            _config = config;
            // A configuration built in code may have no behaviours (the loader always adds the default one): then every
            // method is allowed, as the edge did before caching, with CloudFront's default TTLs and key.
            _matcher = new BehaviorMatcher(config.Behaviors,
                new CacheBehaviorConfig { PathPattern = "*", Target = config.Target, AllowedMethods = AllowedMethods.All });
            _builders = [.. config.Behaviors.Select(b => new CacheKeyBuilder(b.CacheKey))];
            _uncached = [.. config.Behaviors.Select((b, i) => b.CachingDisabled ? new UncachedBehavior(config.Name, b, _builders[i]) : null)];
        }

        /// <summary>The behaviour and its key builder; for a behaviour with caching disabled also its runtime part.</summary>
        public (CacheBehaviorConfig Behavior, CacheKeyBuilder Builder, UncachedBehavior? Uncached) Match(string path)
        {
            var index = _matcher.MatchIndex(path);
            return index >= 0
                ? (_config.Behaviors[index], _builders[index], _uncached[index])
                : (_matcher.Fallback!, _fallbackBuilder, null);
        }
    }
}
