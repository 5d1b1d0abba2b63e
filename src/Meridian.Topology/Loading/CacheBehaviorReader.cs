using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>
/// <c>behaviors</c> and <c>error_caching</c> of a distribution: ordered cache behaviours (the default "*" last), TTLs,
/// cache keys and CloudFront's error caching minimum TTLs.
/// </summary>
internal static class CacheBehaviorReader
{
    private static readonly string[] BehaviorKeys =
    [
        "path", "target", "viewer_protocol", "allowed_methods", "cached_methods", "caching", "ttl", "cache_key", "compress",
        "stale_while_revalidate", "stale_if_error",
    ];

    /// <summary>Behaviour fields that only matter when responses are stored (warned about with <c>caching: disabled</c>).</summary>
    private static readonly string[] StorageOnlyKeys = ["cached_methods", "ttl", "compress", "stale_while_revalidate", "stale_if_error"];

    public static readonly IReadOnlyDictionary<string, bool> Caching = new Dictionary<string, bool>
    {
        ["enabled"] = false,
        ["disabled"] = true,
    };
    private static readonly string[] TtlKeys = ["min", "default", "max"];
    private static readonly string[] CacheKeyKeys = ["query_strings", "headers", "cookies"];
    private static readonly string[] ListPolicyKeys = ["allow", "all_except"];

    public static readonly IReadOnlyDictionary<string, ViewerProtocolPolicy> ViewerProtocols = new Dictionary<string, ViewerProtocolPolicy>
    {
        ["allow_all"] = ViewerProtocolPolicy.AllowAll,
        ["redirect_to_https"] = ViewerProtocolPolicy.RedirectToHttps,
        ["https_only"] = ViewerProtocolPolicy.HttpsOnly,
    };

    public static readonly IReadOnlyDictionary<string, AllowedMethods> Allowed = new Dictionary<string, AllowedMethods>
    {
        ["get_head"] = AllowedMethods.GetHead,
        ["get_head_options"] = AllowedMethods.GetHeadOptions,
        ["all"] = AllowedMethods.All,
    };

    public static readonly IReadOnlyDictionary<string, CachedMethods> Cached = new Dictionary<string, CachedMethods>
    {
        ["get_head"] = CachedMethods.GetHead,
        ["get_head_options"] = CachedMethods.GetHeadOptions,
    };

    /// <summary>
    /// The behaviours; one default behaviour to <paramref name="target"/> when <c>behaviors</c> is omitted. Reports
    /// every problem; warns about behaviours an earlier one shadows, and about https policies no location can honour.
    /// </summary>
    public static IReadOnlyList<CacheBehaviorConfig> Read(MapReader map, NamedEntry entry, string? target, IReadOnlyList<string> targets,
        bool hasHttpsListener)
    {
        var ctx = map.Context;
        if (map.Get("behaviors") is not { } node)
        {
            return target is null ? [] : [new CacheBehaviorConfig { PathPattern = PathPatterns.Default, Target = target, Location = ctx.Where(entry.KeyNode) }];
        }
        var path = map.PathOf("behaviors");
        if (node is not YSequence seq)
        {
            ctx.Error(node, path, $"expected a list of behaviors (the default path \"*\" last), found {node.Describe}");
            return [];
        }
        var result = new List<CacheBehaviorConfig>();
        var seen = new List<(string Pattern, string Path, YNode Node)>();
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var itemPath = LoadContext.Index(path, i);
            if (YamlReader.AsMapping(ctx, seq.Items[i], itemPath) is not { } m)
            {
                continue;
            }
            var bm = new MapReader(ctx, m, itemPath, BehaviorKeys);
            var pattern = ReadPattern(bm, seen, isLast: i == seq.Items.Count - 1);
            var behavior = ReadBehavior(bm, pattern, target, targets, hasHttpsListener);
            if (behavior is not null && pattern is not null)
            {
                result.Add(behavior with { Location = ctx.Where(m) });
            }
        }
        if (seq.Items.Count == 0 || seq.Items[^1] is not YMapping last
            || last.Entries.FirstOrDefault(e => e.Key is YScalar { Value: "path" }).Value is not YScalar { Value: PathPatterns.Default })
        {
            var where = seq.Items.Count == 0 ? node : seq.Items[^1];
            ctx.Error(where, seq.Items.Count == 0 ? path : LoadContext.Index(path, seq.Items.Count - 1),
                seq.Items.Count == 0
                    ? "at least one behavior is required: the default, { path: \"*\" } (or omit behaviors for one default to target)"
                    : "the last behavior must be the default, { path: \"*\", ... }; add one after this");
        }
        return result;
    }

    private static string? ReadPattern(MapReader map, List<(string Pattern, string Path, YNode Node)> seen, bool isLast)
    {
        var ctx = map.Context;
        if (map.RequiredString("path") is not { } pattern)
        {
            return null;
        }
        var node = map.Get("path")!;
        var path = map.PathOf("path");
        if (PathPatterns.Error(pattern) is { } error)
        {
            ctx.Error(node, path, error);
            return null;
        }
        if (seen.FirstOrDefault(s => s.Pattern == pattern) is { Path: not null } same)
        {
            ctx.Error(node, path, $"path pattern '{pattern}' is already used by {same.Path} (line {same.Node.Line})");
            return null;
        }
        if (pattern == PathPatterns.Default && !isLast)
        {
            ctx.Error(node, path, "the default behavior (path \"*\") must be the last; behaviors after it would never be used");
        }
        else if (seen.FirstOrDefault(s => s.Pattern != PathPatterns.Default && PathPatterns.Covers(s.Pattern, pattern)) is { Path: not null } earlier)
        {
            ctx.Warning(node, path,
                $"behavior '{pattern}' is never used: every path it matches also matches '{earlier.Pattern}' ({earlier.Path}, line {earlier.Node.Line}), which comes first");
        }
        seen.Add((pattern, path, node));
        return pattern;
    }

    private static CacheBehaviorConfig? ReadBehavior(MapReader map, string? pattern, string? defaultTarget, IReadOnlyList<string> targets,
        bool hasHttpsListener)
    {
        var ctx = map.Context;
        var errors = ctx.Errors.Count;
        var target = map.String("target");
        if (target is not null && targets.Count > 0 && !targets.Contains(target))
        {
            ctx.Error(map.Get("target")!, map.PathOf("target"), $"unknown origin or origin group '{target}'{Suggestions.Hint(target, targets)}");
        }
        target ??= defaultTarget;
        var viewer = map.Enum("viewer_protocol", ViewerProtocols);
        if (viewer is ViewerProtocolPolicy.RedirectToHttps or ViewerProtocolPolicy.HttpsOnly && !hasHttpsListener)
        {
            ctx.Warning(map.Get("viewer_protocol")!, map.PathOf("viewer_protocol"),
                $"viewer_protocol {map.String("viewer_protocol")} but no edge location serving this distribution has an https listener");
        }
        var allowed = map.Enum("allowed_methods", Allowed);
        var cached = map.Enum("cached_methods", Cached);
        if (cached == CachedMethods.GetHeadOptions && (allowed ?? AllowedMethods.GetHead) == AllowedMethods.GetHead)
        {
            ctx.Error(map.Get("cached_methods")!, map.PathOf("cached_methods"),
                $"cached_methods get_head_options needs allowed_methods get_head_options or all, found get_head{(allowed is null ? " (the default)" : "")}");
        }
        var cachingDisabled = map.Enum("caching", Caching) ?? false;
        if (cachingDisabled)
        {
            foreach (var key in StorageOnlyKeys.Where(k => map.Get(k) is not null))
            {
                ctx.Warning(map.Get(key)!, map.PathOf(key), $"{key} has no effect with caching: disabled (nothing is stored)");
            }
            if (map.Get("cache_key") is null)
            {
                // CloudFront's CachingDisabled without an origin request policy strips them too; easy to miss on an API path.
                ctx.Warning(map.Get("caching")!, map.PathOf("caching"),
                    "with caching: disabled the origin still gets only what cache_key lists, and there is none: no query strings, "
                    + "cookies or extra headers are forwarded; add cache_key: { query_strings: all, cookies: all } to forward them");
            }
        }
        var ttl = map.Map("ttl", TtlKeys) is { } t ? ReadTtl(t) : TtlConfig.CloudFrontDefault;
        var cacheKey = map.Map("cache_key", CacheKeyKeys) is { } k ? ReadCacheKey(k) : CacheKeyConfig.Default;
        var compress = map.Bool("compress");
        var swr = map.Duration("stale_while_revalidate", TimeSpan.Zero, minExclusive: false);
        var sie = map.Duration("stale_if_error", TimeSpan.Zero, minExclusive: false);
        if (ctx.Errors.Count != errors || pattern is null || target is null)
        {
            return null;
        }
        return new CacheBehaviorConfig
        {
            PathPattern = pattern,
            Target = target,
            ViewerProtocol = viewer ?? ViewerProtocolPolicy.AllowAll,
            AllowedMethods = allowed ?? AllowedMethods.GetHead,
            CachedMethods = cached ?? CachedMethods.GetHead,
            CachingDisabled = cachingDisabled,
            Ttl = ttl ?? TtlConfig.CloudFrontDefault,
            CacheKey = cacheKey ?? CacheKeyConfig.Default,
            Compress = compress ?? false,
            StaleWhileRevalidate = swr,
            StaleIfError = sie,
        };
    }

    /// <summary>
    /// min, default, max (CloudFront: 0, 1d, 365d). An omitted default is CloudFront's clamped into [min, max]; an
    /// omitted max is at least 365d and the other two; so only values actually written can conflict.
    /// </summary>
    private static TtlConfig? ReadTtl(MapReader map)
    {
        var ctx = map.Context;
        var cf = TtlConfig.CloudFrontDefault;
        var errors = ctx.Errors.Count;
        var givenMin = map.Duration("min", TimeSpan.Zero, minExclusive: false);
        var givenDefault = map.Duration("default", TimeSpan.Zero, minExclusive: false);
        var givenMax = map.Duration("max", TimeSpan.Zero, minExclusive: false);
        if (ctx.Errors.Count != errors)
        {
            return null;
        }
        var min = givenMin ?? cf.Min;
        var max = givenMax ?? Max(Max(cf.Max, givenDefault ?? TimeSpan.Zero), min);
        var def = givenDefault ?? (min <= max ? Clamp(cf.Default, min, max) : min);
        var ok = true;
        if (min > def)
        {
            ctx.Error(map.Get("min")!, map.PathOf("min"), $"min ({Format(min)}) must not be greater than default ({Format(def)})");
            ok = false;
        }
        if (def > max)
        {
            if (givenDefault is not null)
            {
                ctx.Error(map.Get("default")!, map.PathOf("default"), $"default ({Format(def)}) must not be greater than max ({Format(max)})");
            }
            else
            {
                ctx.Error(map.Get("min")!, map.PathOf("min"), $"min ({Format(min)}) must not be greater than max ({Format(max)})");
            }
            ok = false;
        }
        if (ok && min > max)
        {
            ctx.Error(map.Get("min")!, map.PathOf("min"), $"min ({Format(min)}) must not be greater than max ({Format(max)})");
            ok = false;
        }
        return ok ? new TtlConfig(min, def, max) : null;
    }

    private static CacheKeyConfig? ReadCacheKey(MapReader map)
    {
        var ctx = map.Context;
        var errors = ctx.Errors.Count;
        var (queryPolicy, queryNames) = map.Get("query_strings") is { } q
            ? ReadListPolicy(ctx, q, map.PathOf("query_strings"), "query string", StringComparer.Ordinal)
            : (KeyListPolicy.None, []);
        var (cookiePolicy, cookieNames) = map.Get("cookies") is { } c
            ? ReadListPolicy(ctx, c, map.PathOf("cookies"), "cookie", StringComparer.Ordinal)
            : (KeyListPolicy.None, []);
        var headers = new List<string>();
        var items = map.List("headers");
        for (var i = 0; i < items.Count; i++)
        {
            var path = map.Get("headers") is YSequence ? LoadContext.Index(map.PathOf("headers"), i) : map.PathOf("headers");
            if (YamlReader.AsString(ctx, items[i], path) is not { } name)
            {
                continue;
            }
            if (!HttpFields.IsToken(name))
            {
                ctx.Error(items[i], path, $"expected a header name (letters, digits and !#$%&'*+-.^_`|~), found '{name}'");
            }
            else if (headers.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                ctx.Error(items[i], path, $"header '{name}' is listed twice (header names ignore case)");
            }
            else
            {
                headers.Add(name);
            }
        }
        return ctx.Errors.Count == errors ? new CacheKeyConfig(queryPolicy, queryNames, headers, cookiePolicy, cookieNames) : null;
    }

    /// <summary><c>none</c> | <c>all</c> | <c>{ allow: [names] }</c> | <c>{ all_except: [names] }</c>.</summary>
    private static (KeyListPolicy, IReadOnlyList<string>) ReadListPolicy(LoadContext ctx, YNode node, string path, string what,
        StringComparer comparer)
    {
        if (node is YScalar)
        {
            var policy = YamlReader.AsEnum(ctx, node, path, new Dictionary<string, KeyListPolicy>
            {
                ["none"] = KeyListPolicy.None,
                ["all"] = KeyListPolicy.All,
            });
            return (policy ?? KeyListPolicy.None, []);
        }
        if (node is not YMapping m)
        {
            ctx.Error(node, path, $"expected none, all, {{ allow: [names] }} or {{ all_except: [names] }}, found {node.Describe}");
            return (KeyListPolicy.None, []);
        }
        var map = new MapReader(ctx, m, path, ListPolicyKeys);
        var allow = map.Get("allow");
        var except = map.Get("all_except");
        if ((allow is null) == (except is null))
        {
            ctx.Error(m, path, allow is null
                ? "expected one of allow: [names] or all_except: [names]"
                : "allow and all_except cannot be combined; use one");
            return (KeyListPolicy.None, []);
        }
        var key = allow is not null ? "allow" : "all_except";
        var listNode = allow ?? except!;
        var listPath = map.PathOf(key);
        var items = YamlReader.AsList(ctx, listNode, listPath);
        if (items.Count == 0 && listNode is not YMapping)
        {
            ctx.Error(listNode, listPath, key == "allow"
                ? $"an empty allow list; use none for no {what}s"
                : $"an empty all_except list; use all for every {what}");
        }
        var names = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = listNode is YSequence ? LoadContext.Index(listPath, i) : listPath;
            if (YamlReader.AsString(ctx, items[i], itemPath) is not { } name)
            {
                continue;
            }
            if (name.Length == 0 || name.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch)))
            {
                ctx.Error(items[i], itemPath, $"a {what} name cannot be empty or contain spaces, found '{name}'");
            }
            else if (names.Contains(name, comparer))
            {
                ctx.Error(items[i], itemPath, $"{what} '{name}' is listed twice");
            }
            else
            {
                names.Add(name);
            }
        }
        return (key == "allow" ? KeyListPolicy.AllowList : KeyListPolicy.AllExcept, names);
    }

    /// <summary>
    /// <c>error_caching: { 404: 10s, 503: 0s }</c>: overrides of the 10 s error caching minimum TTL for the statuses
    /// CloudFront caches; the others keep the default.
    /// </summary>
    public static IReadOnlyDictionary<int, TimeSpan> ReadErrorCaching(MapReader map)
    {
        var ctx = map.Context;
        if (map.Get("error_caching") is not { } node)
        {
            return DistributionConfig.DefaultErrorCachingMinTtl;
        }
        var result = new Dictionary<int, TimeSpan>(DistributionConfig.DefaultErrorCachingMinTtl);
        var cacheable = DistributionConfig.DefaultErrorCachingMinTtl.Keys.Order().ToList();
        foreach (var entry in NamedEntries.Read(ctx, node, map.PathOf("error_caching")))
        {
            if (!HttpFields.TryStatus(entry.Name, 400, 599, out var status))
            {
                ctx.Error(entry.KeyNode, entry.Path, $"expected a status code between 400 and 599, found '{entry.Name}'");
            }
            else if (!result.ContainsKey(status))
            {
                ctx.Error(entry.KeyNode, entry.Path, $"CloudFront does not cache status {status}; cacheable: {string.Join(", ", cacheable)}");
            }
            if (YamlReader.AsDuration(ctx, entry.Value, entry.Path, TimeSpan.Zero, minExclusive: false) is { } ttl && result.ContainsKey(status))
            {
                result[status] = ttl;
            }
        }
        return result;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Clamp(TimeSpan v, TimeSpan min, TimeSpan max) => v < min ? min : v > max ? max : v;

    /// <summary>"0s", "5s", "1d", "365d", "90m".</summary>
    public static string Format(TimeSpan t) =>
        t == TimeSpan.Zero ? "0s"
        : t.Ticks % TimeSpan.TicksPerDay == 0 ? $"{(long)t.TotalDays}d"
        : t.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)t.TotalHours}h"
        : t.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(long)t.TotalMinutes}m"
        : HttpFields.Format(t);
}
