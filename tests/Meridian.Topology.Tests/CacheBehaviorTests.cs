using Meridian.Topology.Model;

namespace Meridian.Topology.Tests;

/// <summary>The caching part of <c>edge:</c>: behaviors, TTLs, methods, cache keys, error caching, cache sizes.</summary>
public sealed class CacheBehaviorTests
{
    /// <summary>A valid distribution with three behaviours on lines 16-18; tests replace one piece of text.</summary>
    private const string Base = """
        regions:
          us-east-1: { address: 127.0.0.11 }
        edge:
          locations:
            edge-us: { region: us-east-1, listen: [127.0.0.21:8080], https: [127.0.0.21:8443] }
          distributions:
            cdn:
              aliases: [cdn.example.test, www.example.test]
              origins:
                us: { url: http://127.0.0.11:8080 }
                eu: { url: http://127.0.0.12:8080 }
              origin_groups:
                both: { members: [us, eu] }
              target: both
              behaviors:
                - { path: /static/*, target: us, ttl: { min: 0s, default: 1d, max: 365d } }
                - { path: /images/*.jpg, compress: true }
                - { path: "*", target: both, allowed_methods: all }

        """;

    private const string Prefix = "edge.distributions.cdn.";

    private static TopologyLoadResult With(string find, string replace)
    {
        Assert.Contains(find, Base);
        return Yaml.Load(Base.Replace(find, replace));
    }

    private static DistributionConfig Loaded(string yaml)
    {
        var result = Yaml.Load(yaml);
        Yaml.NoErrors(result);
        Assert.True(result.Warnings.Count == 0, string.Join("\n", result.Warnings));
        return result.Config!.Edge.Distributions.Single();
    }

    /// <summary>1-based column of <paramref name="token"/> on 1-based <paramref name="line"/> of <paramref name="yaml"/>.</summary>
    private static int ColumnOf(string yaml, int line, string token)
    {
        var text = yaml.Split('\n')[line - 1];
        Assert.Contains(token, text);
        return text.IndexOf(token, StringComparison.Ordinal) + 1;
    }

    [Fact]
    public void Load_Base_ReadsBehaviorsInOrder()
    {
        var cdn = Loaded(Base);
        Assert.Equal(["/static/*", "/images/*.jpg", "*"], cdn.Behaviors.Select(b => b.PathPattern));
        Assert.Equal(["us", "both", "both"], cdn.Behaviors.Select(b => b.Target)); // the second takes the distribution's target
        Assert.Equal(new TtlConfig(TimeSpan.Zero, TimeSpan.FromDays(1), TimeSpan.FromDays(365)), cdn.Behaviors[0].Ttl);
        Assert.True(cdn.Behaviors[1].Compress);
        Assert.Equal(AllowedMethods.All, cdn.Behaviors[2].AllowedMethods);
        Assert.Equal([16, 17, 18], cdn.Behaviors.Select(b => b.Location.Line));
        Assert.Equal(ColumnOf(Base, 16, "{"), cdn.Behaviors[0].Location.Column);
    }

    [Fact]
    public void Load_NoBehaviors_OneDefaultBehaviorToTargetWithCloudFrontDefaults()
    {
        var yaml = Base[..Base.IndexOf("      behaviors:", StringComparison.Ordinal)];
        var cdn = Loaded(yaml);
        var only = Assert.Single(cdn.Behaviors);
        Assert.Equal("*", only.PathPattern);
        Assert.Equal("both", only.Target);
        Assert.Equal((7, 5), (only.Location.Line, only.Location.Column)); // the distribution's key
        Assert.Equal(ViewerProtocolPolicy.AllowAll, only.ViewerProtocol);
        Assert.Equal(AllowedMethods.GetHead, only.AllowedMethods);
        Assert.Equal(CachedMethods.GetHead, only.CachedMethods);
        // CloudFront: min 0, default 86,400 s, max 31,536,000 s.
        Assert.Equal(new TtlConfig(TimeSpan.Zero, TimeSpan.FromSeconds(86400), TimeSpan.FromSeconds(31536000)), only.Ttl);
        Assert.Same(CacheKeyConfig.Default, only.CacheKey);
        Assert.Equal((KeyListPolicy.None, KeyListPolicy.None), (only.CacheKey.QueryStrings, only.CacheKey.Cookies));
        Assert.False(only.Compress);
        Assert.Null(only.StaleWhileRevalidate);
        Assert.Null(only.StaleIfError);
        // Error caching: 10 s for each status CloudFront caches.
        Assert.Equal([400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504], cdn.ErrorCachingMinTtl.Keys.Order());
        Assert.All(cdn.ErrorCachingMinTtl.Values, v => Assert.Equal(TimeSpan.FromSeconds(10), v));
        Assert.Empty(cdn.Certificates);
    }

    [Fact]
    public void Load_NoCacheSection_DefaultsTo256MBInMemoryOnly()
    {
        var result = Yaml.Load(Base);
        Assert.Same(EdgeCacheConfig.Default, result.Config!.Edge.Cache);
        Assert.Equal(256L * 1024 * 1024, result.Config.Edge.Cache.MemoryBytes);
        Assert.Null(result.Config.Edge.Cache.DiskPath);
        Assert.Equal(0, result.Config.Edge.Cache.DiskBytes);
    }

    [Fact]
    public void Load_AllBehaviorFields_AreRead()
    {
        var cdn = Loaded(Base.Replace("{ path: /images/*.jpg, compress: true }",
            "{ path: /api/*, target: eu, viewer_protocol: redirect_to_https, allowed_methods: get_head_options, "
            + "cached_methods: get_head_options, ttl: { min: 1s, default: 1m, max: 1h }, "
            + "cache_key: { query_strings: { allow: [page, q] }, headers: [Accept-Language, X-Tenant], cookies: { all_except: [tracking] } }, "
            + "compress: false, stale_while_revalidate: 30s, stale_if_error: 5m }"));
        var api = cdn.Behaviors[1];
        Assert.Equal(new CacheBehaviorConfig
        {
            PathPattern = "/api/*",
            Target = "eu",
            ViewerProtocol = ViewerProtocolPolicy.RedirectToHttps,
            AllowedMethods = AllowedMethods.GetHeadOptions,
            CachedMethods = CachedMethods.GetHeadOptions,
            Ttl = new TtlConfig(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)),
            CacheKey = api.CacheKey,
            Compress = false,
            StaleWhileRevalidate = TimeSpan.FromSeconds(30),
            StaleIfError = TimeSpan.FromMinutes(5),
            Location = api.Location,
        }, api);
        Assert.Equal(KeyListPolicy.AllowList, api.CacheKey.QueryStrings);
        Assert.Equal(["page", "q"], api.CacheKey.QueryStringNames);
        Assert.Equal(["Accept-Language", "X-Tenant"], api.CacheKey.Headers);
        Assert.Equal(KeyListPolicy.AllExcept, api.CacheKey.Cookies);
        Assert.Equal(["tracking"], api.CacheKey.CookieNames);
    }

    [Theory]
    [InlineData("{ max: 5s }", 0, 5, 5)]                 // default clamped to max
    [InlineData("{ min: 2d }", 172800, 172800, 31536000)] // default raised to min
    [InlineData("{ default: 400d }", 0, 34560000, 34560000)] // max raised to default
    [InlineData("{ min: 0s, default: 0s, max: 0s }", 0, 0, 0)]
    [InlineData("{ default: 60, max: 300 }", 0, 60, 300)] // plain integers are seconds (the tutorial's values)
    [InlineData("{}", 0, 86400, 31536000)]
    public void Load_PartialTtl_FillsCloudFrontDefaultsWithinBounds(string ttl, int min, int def, int max)
    {
        var cdn = Loaded(Base.Replace("{ min: 0s, default: 1d, max: 365d }", ttl));
        Assert.Equal(new TtlConfig(TimeSpan.FromSeconds(min), TimeSpan.FromSeconds(def), TimeSpan.FromSeconds(max)), cdn.Behaviors[0].Ttl);
    }

    [Theory]
    [InlineData("none", KeyListPolicy.None)]
    [InlineData("all", KeyListPolicy.All)]
    [InlineData("{ allow: a }", KeyListPolicy.AllowList)]
    [InlineData("{ all_except: [a, b] }", KeyListPolicy.AllExcept)]
    public void Load_QueryStringPolicies_AreRead(string value, KeyListPolicy policy)
    {
        var cdn = Loaded(Base.Replace("allowed_methods: all }", $"allowed_methods: all, cache_key: {{ query_strings: {value}, cookies: {value} }} }}"));
        var key = cdn.Behaviors[2].CacheKey;
        Assert.Equal((policy, policy), (key.QueryStrings, key.Cookies));
        Assert.Equal(key.QueryStringNames, key.CookieNames);
    }

    [Fact]
    public void Load_ErrorCaching_OverridesOnlyTheGivenStatuses()
    {
        var cdn = Loaded(Base.Replace("      target: both\n", "      target: both\n      error_caching: { 404: 1m, 503: 0s }\n"));
        Assert.Equal(TimeSpan.FromMinutes(1), cdn.ErrorCachingMinTtl[404]);
        Assert.Equal(TimeSpan.Zero, cdn.ErrorCachingMinTtl[503]);
        Assert.Equal(TimeSpan.FromSeconds(10), cdn.ErrorCachingMinTtl[500]);
        Assert.Equal(11, cdn.ErrorCachingMinTtl.Count);
        // The shared default is not modified.
        Assert.Equal(TimeSpan.FromSeconds(10), DistributionConfig.DefaultErrorCachingMinTtl[404]);
    }

    [Theory]
    // TTLs: each conflict names the field written.
    [InlineData("{ min: 0s, default: 1d, max: 365d }", "{ min: 2d, default: 1d, max: 365d }", "behaviors[0].ttl.min", "min (2d) must not be greater than default (1d)")]
    [InlineData("{ min: 0s, default: 1d, max: 365d }", "{ min: 0s, default: 1d, max: 1h }", "behaviors[0].ttl.default", "default (1d) must not be greater than max (1h)")]
    [InlineData("{ min: 0s, default: 1d, max: 365d }", "{ min: 2h, max: 1h }", "behaviors[0].ttl.min", "min (2h) must not be greater than max (1h)")]
    [InlineData("{ min: 0s, default: 1d, max: 365d }", "{ min: 0s, default: 1d, max: soon }", "behaviors[0].ttl.max", "expected a duration like 250ms, 1s, 1.5s, 2m, 1h or 1d, found 'soon'")]
    [InlineData("{ min: 0s, default: 1d, max: 365d }", "{ min: -1s }", "behaviors[0].ttl.min", "expected a duration")]
    [InlineData("{ min: 0s, default: 1d, max: 365d }", "{ mn: 0s }", "behaviors[0].ttl.mn", "unknown key 'mn'; did you mean 'min'?")]
    [InlineData("ttl: { min: 0s, default: 1d, max: 365d }", "ttl: 1d", "behaviors[0].ttl", "expected a mapping")]
    // Patterns.
    [InlineData("path: /static/*", "path: static/*", "behaviors[0].path", "starts with '/' (or is exactly \"*\"), found 'static/*'; did you mean '/static/*'?")]
    [InlineData("path: /static/*", "path: '/static files/*'", "behaviors[0].path", "spaces and control characters are not allowed in a path pattern, found '/static files/*'")]
    [InlineData("path: /static/*", "path: '/static/#x'", "behaviors[0].path", "'#' is not allowed in a path pattern")]
    [InlineData("path: /static/*", "path: ''", "behaviors[0].path", "cannot be empty")]
    [InlineData("path: /static/*", "path: ~", "behaviors[0].path", "'path' is required")]
    [InlineData("path: /images/*.jpg", "path: /static/*", "behaviors[1].path", "path pattern '/static/*' is already used by edge.distributions.cdn.behaviors[0].path (line 16)")]
    [InlineData("{ path: \"*\", target: both, allowed_methods: all }", "{ path: /*, target: both, allowed_methods: all }", "behaviors[2]", "the last behavior must be the default, { path: \"*\", ... }")]
    [InlineData("compress: true", "compres: true", "behaviors[1].compres", "unknown key 'compres'; did you mean 'compress'?")]
    // Targets and methods.
    [InlineData("target: us", "target: uss", "behaviors[0].target", "unknown origin or origin group 'uss'; did you mean 'us'?")]
    [InlineData("compress: true", "compress: true, cached_methods: get_head_options", "behaviors[1].cached_methods", "cached_methods get_head_options needs allowed_methods get_head_options or all, found get_head (the default)")]
    [InlineData("compress: true", "compress: true, allowed_methods: get_head, cached_methods: get_head_options", "behaviors[1].cached_methods", "found get_head")]
    [InlineData("compress: true", "compress: true, cached_methods: all", "behaviors[1].cached_methods", "unknown value 'all'; expected one of get_head, get_head_options")]
    [InlineData("compress: true", "compress: true, allowed_methods: post", "behaviors[1].allowed_methods", "unknown value 'post'")]
    [InlineData("compress: true", "compress: true, viewer_protocol: https", "behaviors[1].viewer_protocol", "unknown value 'https'; expected one of allow_all, redirect_to_https, https_only; did you mean 'https_only'?")]
    [InlineData("compress: true", "compress: yes", "behaviors[1].compress", "expected true or false")]
    [InlineData("allowed_methods: all }", "allowed_methods: all, caching: off }", "behaviors[2].caching", "unknown value 'off'; expected one of enabled, disabled")]
    [InlineData("allowed_methods: all }", "allowed_methods: all, caching: disable }", "behaviors[2].caching", "did you mean 'disabled'?")]
    [InlineData("compress: true", "compress: true, stale_if_error: forever", "behaviors[1].stale_if_error", "expected a duration")]
    [InlineData("compress: true", "compress: true, stale_while_revalidate: -5s", "behaviors[1].stale_while_revalidate", "expected a duration")]
    // Cache keys.
    [InlineData("allowed_methods: all }", "allowed_methods: all, cache_key: { query_strings: { allow: [] } } }", "behaviors[2].cache_key.query_strings.allow", "an empty allow list; use none for no query strings")]
    [InlineData("allowed_methods: all }", "allowed_methods: all, cache_key: { cookies: { all_except: [] } } }", "behaviors[2].cache_key.cookies.all_except", "an empty all_except list; use all for every cookie")]
    [InlineData("allowed_methods: all }", "allowed_methods: all, cache_key: { query_strings: { allow: [a, a] } } }", "behaviors[2].cache_key.query_strings.allow[1]", "query string 'a' is listed twice")]
    [InlineData("allowed_methods: all }", "allowed_methods: all, cache_key: { cookies: { allow: [s, ''] } } }", "behaviors[2].cache_key.cookies.allow[1]", "a cookie name cannot be empty")]
    [InlineData("allowed_methods: all }", "allowed_methods: all, cache_key: { query_strings: { allow: [a], all_except: [b] } } }", "behaviors[2].cache_key.query_strings", "allow and all_except cannot be combined")]
    [InlineData("allowed_methods: all }", "allowed_methods: all, cache_key: { query_strings: {} } }", "behaviors[2].cache_key.query_strings", "expected one of allow: [names] or all_except: [names]")]
    [InlineData("allowed_methods: all }", "allowed_methods: all, cache_key: { query_strings: some } }", "behaviors[2].cache_key.query_strings", "unknown value 'some'; expected one of none, all")]
    [InlineData("allowed_methods: all }", "allowed_methods: all, cache_key: { query_strings: [a] } }", "behaviors[2].cache_key.query_strings", "expected none, all, { allow: [names] } or { all_except: [names] }, found a list")]
    [InlineData("allowed_methods: all }", "allowed_methods: all, cache_key: { headers: [Accept, 'Bad Header'] } }", "behaviors[2].cache_key.headers[1]", "expected a header name")]
    [InlineData("allowed_methods: all }", "allowed_methods: all, cache_key: { headers: [Accept, accept] } }", "behaviors[2].cache_key.headers[1]", "header 'accept' is listed twice (header names ignore case)")]
    [InlineData("allowed_methods: all }", "allowed_methods: all, cache_key: { header: [Accept] } }", "behaviors[2].cache_key.header", "did you mean 'headers'?")]
    public void Load_InvalidBehavior_ReportsFieldPathAndLine(string find, string replace, string field, string message)
    {
        var result = With(find, replace);
        var error = Yaml.Has(result, Prefix + field, message);
        Assert.Single(result.Errors);
        var line = Base.Split('\n').Select((text, i) => (text, i)).First(l => l.text.Contains(find, StringComparison.Ordinal)).i + 1;
        Assert.Equal(line, error.Line);
        Assert.Null(result.Config);
    }

    [Fact]
    public void Load_TtlError_PointsAtTheValue()
    {
        var yaml = Base.Replace("default: 1d, max: 365d", "default: 1d, max: 1h");
        var error = Yaml.Single(Yaml.Load(yaml), Prefix + "behaviors[0].ttl.default");
        Assert.Equal((16, ColumnOf(yaml, 16, "1d")), (error.Line, error.Column));
    }

    [Fact]
    public void Load_DefaultBehaviorNotLast_ReportsItAndTheDuplicate()
    {
        var result = With("path: /static/*", "path: '*'");
        Assert.Equal((16, "the default behavior (path \"*\") must be the last; behaviors after it would never be used"),
            (Yaml.Single(result, Prefix + "behaviors[0].path").Line, Yaml.Single(result, Prefix + "behaviors[0].path").Message));
        Assert.Contains("path pattern '*' is already used by edge.distributions.cdn.behaviors[0].path (line 16)",
            Yaml.Single(result, Prefix + "behaviors[2].path").Message);
        Assert.Equal(2, result.Errors.Count);
        Assert.Empty(result.Warnings); // no shadowing noise on top of the error
    }

    [Fact]
    public void Load_EmptyBehaviorList_RequiresTheDefault()
    {
        var yaml = Base[..Base.IndexOf("      behaviors:", StringComparison.Ordinal)] + "      behaviors: []\n";
        var error = Yaml.Single(Yaml.Load(yaml), Prefix + "behaviors");
        Assert.Equal((15, 18), (error.Line, error.Column));
        Assert.Contains("at least one behavior is required", error.Message);
    }

    [Fact]
    public void Load_BehaviorsNotAList_ReportsAtBehaviors()
    {
        var yaml = Base[..Base.IndexOf("      behaviors:", StringComparison.Ordinal)] + "      behaviors: { path: '*' }\n";
        Assert.Contains("expected a list of behaviors", Yaml.Single(Yaml.Load(yaml), Prefix + "behaviors").Message);
    }

    [Fact]
    public void Load_PatternLongerThan255_IsRejected()
    {
        var result = With("path: /static/*", "path: /" + new string('a', 255));
        Assert.Contains("at most 255 characters, found 256", Yaml.Single(result, Prefix + "behaviors[0].path").Message);
        Yaml.NoErrors(With("path: /static/*", "path: /" + new string('a', 254)));
    }

    [Theory]
    [InlineData("/*", "/static/*")]
    [InlineData("/static/*", "/static/*.css")]
    [InlineData("/static/*", "/static/?")]
    [InlineData("/*.jpg", "/images/*.jpg")]
    [InlineData("/static*", "/static/*")]
    [InlineData("/a?c", "/abc")]
    public void Load_BehaviorShadowedByEarlier_WarnsNamingBoth(string first, string second)
    {
        var result = Yaml.Load(Base.Replace("/static/*", first).Replace("/images/*.jpg", second));
        Yaml.NoErrors(result);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((Prefix + "behaviors[1].path", 17), (warning.FieldPath, warning.Line));
        Assert.Equal(ColumnOf(Base, 17, "/images"), warning.Column);
        Assert.Equal($"behavior '{second}' is never used: every path it matches also matches '{first}' "
            + $"({Prefix}behaviors[0].path, line 16), which comes first", warning.Message);
    }

    [Theory]
    [InlineData("/static/*", "/static*")]
    [InlineData("/images/*", "/*.jpg")]
    [InlineData("/a/*", "/b/*")]
    [InlineData("/abc", "/a?c")]
    [InlineData("/static/?", "/static/*")]
    public void Load_BehaviorNotShadowed_NoWarning(string first, string second)
    {
        Loaded(Base.Replace("/static/*", first).Replace("/images/*.jpg", second));
    }

    [Fact]
    public void Load_CachingDisabled_ReadWithItsForwardingKey()
    {
        var cdn = Loaded(Base.Replace("{ path: /images/*.jpg, compress: true }",
            "{ path: /api/*, allowed_methods: all, caching: disabled, cache_key: { query_strings: all, cookies: all } }"));
        var api = cdn.Behaviors[1];
        Assert.True(api.CachingDisabled);
        Assert.Equal((KeyListPolicy.All, KeyListPolicy.All), (api.CacheKey.QueryStrings, api.CacheKey.Cookies));
        Assert.False(cdn.Behaviors[0].CachingDisabled); // enabled unless said
        Assert.False(Loaded(Base.Replace("compress: true", "compress: true, caching: enabled")).Behaviors[1].CachingDisabled);
    }

    [Fact]
    public void Load_CachingDisabledWithStorageSettings_WarnsForEachInFileOrder()
    {
        var result = With("compress: true", "compress: true, caching: disabled, ttl: { max: 1h }, stale_if_error: 5m, cache_key: { query_strings: all }");
        Yaml.NoErrors(result);
        Assert.Equal(
            [(Prefix + "behaviors[1].compress", 17), (Prefix + "behaviors[1].ttl", 17), (Prefix + "behaviors[1].stale_if_error", 17)],
            result.Warnings.OrderBy(w => w.Column).Select(w => (w.FieldPath, w.Line)));
        Assert.All(result.Warnings, w => Assert.EndsWith("has no effect with caching: disabled (nothing is stored)", w.Message));
        Assert.True(result.Config!.Edge.Distributions.Single().Behaviors[1].CachingDisabled);
    }

    [Fact]
    public void Load_CachingDisabledWithoutCacheKey_WarnsThatNothingExtraIsForwarded()
    {
        var result = With("compress: true", "caching: disabled");
        Yaml.NoErrors(result);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((Prefix + "behaviors[1].caching", 17), (warning.FieldPath, warning.Line));
        Assert.Contains("no query strings, cookies or extra headers are forwarded; add cache_key: { query_strings: all, cookies: all }", warning.Message);
    }

    [Fact]
    public void Load_HttpsPolicyWithoutHttpsListener_Warns()
    {
        var yaml = Base.Replace(", https: [127.0.0.21:8443]", "").Replace("compress: true", "compress: true, viewer_protocol: https_only");
        var result = Yaml.Load(yaml);
        Yaml.NoErrors(result);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((Prefix + "behaviors[1].viewer_protocol", 17), (warning.FieldPath, warning.Line));
        Assert.Contains("viewer_protocol https_only but no edge location serving this distribution has an https listener", warning.Message);
        // With the https listener back there is nothing to warn about.
        Loaded(Base.Replace("compress: true", "compress: true, viewer_protocol: redirect_to_https"));
    }

    [Fact]
    public void Load_HttpsListenerOnALocationNotServingTheDistribution_StillWarns()
    {
        var yaml = Base
            .Replace("    edge-us: { region: us-east-1, listen: [127.0.0.21:8080], https: [127.0.0.21:8443] }\n",
                "    edge-us: { region: us-east-1, listen: [127.0.0.21:8080], https: [127.0.0.21:8443] }\n    plain: { listen: [127.0.0.22:8080] }\n")
            .Replace("      aliases:", "      locations: [plain]\n      aliases:")
            .Replace("compress: true", "compress: true, viewer_protocol: redirect_to_https");
        var result = Yaml.Load(yaml);
        Yaml.NoErrors(result);
        Assert.Equal(Prefix + "behaviors[1].viewer_protocol", Assert.Single(result.Warnings).FieldPath);
    }

    [Theory]
    [InlineData("{ 404: 10s, 302: 0s }", "error_caching.302", "expected a status code between 400 and 599, found '302'")]
    [InlineData("{ 418: 1s }", "error_caching.418", "CloudFront does not cache status 418; cacheable: 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504")]
    [InlineData("{ 404: soon }", "error_caching.404", "expected a duration")]
    [InlineData("{ 404: 1s, 404: 2s }", "error_caching.404", "duplicate name '404'")]
    [InlineData("{ abc: 1s }", "error_caching.abc", "expected a status code")]
    [InlineData("[404]", "error_caching", "expected a mapping")]
    public void Load_InvalidErrorCaching_ReportsField(string value, string field, string message)
    {
        var result = With("      target: both\n", $"      target: both\n      error_caching: {value}\n");
        var error = Yaml.Has(result, Prefix + field, message);
        Assert.Equal(15, error.Line);
        Assert.Single(result.Errors);
    }

    [Theory]
    [InlineData("{ memory: 64MB }", 64L << 20, null, 0L)]
    [InlineData("{ memory: 1GiB }", 1L << 30, null, 0L)]
    [InlineData("{ memory: 1mb }", 1L << 20, null, 0L)]
    [InlineData("{ memory: 1.5GB }", 3L << 29, null, 0L)]
    [InlineData("{ memory: 1048576 }", 1L << 20, null, 0L)]
    [InlineData("{ disk: ./data/edge-cache, disk_size: 2GB }", 256L << 20, "data/edge-cache", 2L << 30)]
    public void Load_CacheSizes_AreRead(string cache, long memory, string? disk, long diskBytes)
    {
        var folder = Path.Combine(Path.GetTempPath(), "meridian-topology-tests");
        var result = TopologyLoader.LoadFromText(Base.Replace("edge:\n", $"edge:\n  cache: {cache}\n"), Path.Combine(folder, "t.yaml"));
        Yaml.NoErrors(result);
        var c = result.Config!.Edge.Cache;
        Assert.Equal(memory, c.MemoryBytes);
        Assert.Equal(disk is null ? null : Path.GetFullPath(Path.Combine(folder, disk)), c.DiskPath);
        Assert.Equal(diskBytes, c.DiskBytes);
    }

    [Theory]
    [InlineData("{ memory: 512KB }", "memory", "must be at least 1MB, found 512KB")]
    [InlineData("{ memory: 0 }", "memory", "must be at least 1MB")]
    [InlineData("{ memory: lots }", "memory", "expected a size like 512KB, 256MB or 2GB (1KB = 1024 bytes), found 'lots'")]
    [InlineData("{ memory: 1.5B }", "memory", "expected a size")]
    [InlineData("{ memory: 256Mb/s }", "memory", "expected a size")]
    [InlineData("{ memory: -1MB }", "memory", "expected a size")]
    [InlineData("{ disk: ./cache }", "disk", "a disk cache needs disk_size (e.g. 2GB)")]
    [InlineData("{ disk_size: 2GB }", "disk_size", "disk_size needs disk (the cache folder)")]
    [InlineData("{ disk: ./cache, disk_size: 100KB }", "disk_size", "must be at least 1MB")]
    [InlineData("{ memry: 1GB }", "memry", "did you mean 'memory'?")]
    [InlineData("256MB", "", "expected a mapping")]
    public void Load_InvalidCache_ReportsField(string cache, string field, string message)
    {
        var result = Yaml.Load(Base.Replace("edge:\n", $"edge:\n  cache: {cache}\n"));
        var error = Yaml.Has(result, field.Length == 0 ? "edge.cache" : "edge.cache." + field, message);
        Assert.Equal(4, error.Line);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Load_DiskCacheIsAFile_IsRejected()
    {
        var file = Path.GetTempFileName();
        try
        {
            var result = Yaml.Load(Base.Replace("edge:\n", $"edge:\n  cache: {{ disk: '{file}', disk_size: 1GB }}\n"));
            Assert.Contains("expected a folder for the disk cache", Yaml.Single(result, "edge.cache.disk").Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Load_OriginAtTheEdgesHttpsListener_IsALoop()
    {
        var result = With("http://127.0.0.12:8080", "https://127.0.0.21:8443");
        Assert.Contains("is the edge's own listener edge.locations.edge-us.https[0] (line 5)", Yaml.Single(result, Prefix + "origins.eu.url").Message);
    }

    [Fact]
    public void Load_SeveralCachingErrors_ReportsAllInFileOrder()
    {
        var result = Yaml.Load(Base
            .Replace("edge:\n", "edge:\n  cache: { memory: 1KB }\n")
            .Replace("      target: both\n", "      target: both\n      error_caching: { 302: 1s }\n")
            .Replace("default: 1d, max: 365d", "default: 1d, max: 1h")
            .Replace("/images/*.jpg", "images")
            .Replace("target: both, allowed_methods: all", "target: bth, allowed_methods: all"));
        Assert.Equal(
        [
            (4, "edge.cache.memory"),
            (16, Prefix + "error_caching.302"),
            (18, Prefix + "behaviors[0].ttl.default"),
            (19, Prefix + "behaviors[1].path"),
            (20, Prefix + "behaviors[2].target"),
        ], result.Errors.Select(e => (e.Line, e.FieldPath)));
    }
}
