using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>
/// <c>storage: { credentials: [{ access_key, secret_key }], stores: { name: { region, listen, data_dir,
/// buckets: { name: { versioning, public_read } } } } }</c> — the embedded S3-compatible stores, one per region.
/// </summary>
internal sealed class StorageSection : ITopologySection
{
    private static readonly string[] Keys = ["credentials", "stores"];
    private static readonly string[] CredentialKeys = ["access_key", "secret_key"];
    private static readonly string[] StoreKeys = ["region", "listen", "data_dir", "buckets"];
    private static readonly string[] BucketKeys = ["versioning", "public_read", "replication"];

    /// <summary>AWS access key ids are 16-128 word characters; secrets at least 8 characters here (AWS uses 40).</summary>
    private const int MinAccessKey = 3, MaxAccessKey = 128, MinSecret = 8;

    public string Key => "storage";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        if (YamlReader.AsMapping(ctx, node, Key) is not { } m)
        {
            return;
        }
        var map = new MapReader(ctx, m, Key, Keys);
        var credentials = ReadCredentials(map);
        var stores = new List<ObjectStoreConfig>();
        var claims = ListenClaims.Existing(builder);
        var buckets = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var dataDirs = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var rules = new ReplicationRulesReader(ctx);
        if (map.Get("stores") is { } storesNode)
        {
            foreach (var entry in NamedEntries.Read(ctx, storesNode, map.PathOf("stores")))
            {
                if (YamlReader.AsMapping(ctx, entry.Value, entry.Path) is { } sm &&
                    ReadStore(new MapReader(ctx, sm, entry.Path, StoreKeys), entry, builder, claims, buckets, dataDirs, rules) is { } store)
                {
                    stores.Add(store);
                }
            }
        }
        if (stores.Count > 0 && credentials.Count == 0)
        {
            ctx.Error(map["credentials"] ?? map.Node, map.PathOf("credentials"),
                "object stores need at least one access key: add credentials: [{ access_key, secret_key }]");
        }
        rules.Validate(stores);
        builder.Listeners.AddRange(claims.Where(c => c.Field.StartsWith(Key + ".", StringComparison.Ordinal)));
        builder.Config = builder.Config with { Storage = new StorageConfig(credentials, stores) };
    }

    private static List<StorageCredentialConfig> ReadCredentials(MapReader map)
    {
        var ctx = map.Context;
        var result = new List<StorageCredentialConfig>();
        var seen = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var items = map.List("credentials");
        for (var i = 0; i < items.Count; i++)
        {
            var path = LoadContext.Index(map.PathOf("credentials"), i);
            if (YamlReader.AsMapping(ctx, items[i], path) is not { } cm)
            {
                continue;
            }
            var c = new MapReader(ctx, cm, path, CredentialKeys);
            var access = c.RequiredString("access_key");
            var secret = c.RequiredString("secret_key");
            if (access is not null && (access.Length is < MinAccessKey or > MaxAccessKey || !access.All(char.IsAsciiLetterOrDigit)))
            {
                ctx.Error(c.Get("access_key")!, c.PathOf("access_key"),
                    $"access keys are {MinAccessKey}-{MaxAccessKey} letters and digits (like AKIAIOSFODNN7EXAMPLE), found '{access}'");
                access = null;
            }
            if (secret is not null && (secret.Length < MinSecret || secret.Any(char.IsWhiteSpace)))
            {
                ctx.Error(c.Get("secret_key")!, c.PathOf("secret_key"), $"secret keys are at least {MinSecret} characters without spaces");
                secret = null;
            }
            if (access is null || secret is null)
            {
                continue;
            }
            if (seen.TryGetValue(access, out var first))
            {
                ctx.Error(c.Get("access_key")!, c.PathOf("access_key"),
                    $"duplicate access key '{access}' (first at {LoadContext.Where(first, c.Get("access_key")!)})");
                continue;
            }
            seen[access] = c.Get("access_key")!;
            result.Add(new(access, secret));
        }
        return result;
    }

    private static ObjectStoreConfig? ReadStore(MapReader map, NamedEntry entry, TopologyBuilder builder, List<ListenClaim> claims,
        Dictionary<string, YNode> buckets, Dictionary<string, YNode> dataDirs, ReplicationRulesReader rules)
    {
        var ctx = map.Context;
        string? region = null;
        if (map.RequiredString("region") is { } r)
        {
            if (builder.HasRegion(r))
            {
                region = r;
            }
            else
            {
                var names = builder.Config.Regions.Select(x => x.Name).ToList();
                ctx.Error(map.Get("region")!, map.PathOf("region"),
                    $"unknown region '{r}'{(names.Count == 0 ? "; no regions are declared" : Suggestions.Hint(r, names))}");
            }
        }
        System.Net.IPEndPoint? listen = null;
        if (map.RequiredString("listen") is { } text)
        {
            if (Addresses.TryParseEndpoint(text.Trim(), out var endpoint) is { } error)
            {
                ctx.Error(map.Get("listen")!, map.PathOf("listen"), error);
            }
            else
            {
                ListenClaims.TryClaim(ctx, claims, endpoint, map.Get("listen")!, map.PathOf("listen"));
                listen = endpoint;
            }
        }
        var dataDir = ReadDataDir(map, dataDirs);
        var bucketList = map.Get("buckets") is { } bn ? ReadBuckets(ctx, bn, map.PathOf("buckets"), buckets, rules) : [];
        if (region is null || listen is null || dataDir is null)
        {
            return null;
        }
        return new ObjectStoreConfig
        {
            Name = entry.Name, Region = region, Listen = listen, DataDirectory = dataDir, Buckets = bucketList,
            Location = ctx.Where(entry.KeyNode),
        };
    }

    private static string? ReadDataDir(MapReader map, Dictionary<string, YNode> dataDirs)
    {
        var ctx = map.Context;
        if (map.RequiredString("data_dir") is not { } text)
        {
            return null;
        }
        var node = map.Get("data_dir")!;
        if (text.Trim().Length == 0 || text.Contains('\0'))
        {
            ctx.Error(node, map.PathOf("data_dir"), "expected a directory path");
            return null;
        }
        var full = Path.GetFullPath(Path.Combine(ctx.BaseDirectory, text.Trim()));
        if (dataDirs.TryGetValue(full, out var first))
        {
            // Two stores in one directory would overwrite each other's objects.
            ctx.Error(node, map.PathOf("data_dir"), $"data_dir {full} is already used by another store (line {first.Line})");
            return null;
        }
        dataDirs[full] = node;
        return full;
    }

    private static List<BucketConfig> ReadBuckets(LoadContext ctx, YNode node, string path, Dictionary<string, YNode> seen, ReplicationRulesReader rules)
    {
        var result = new List<BucketConfig>();
        foreach (var entry in NamedEntries.Read(ctx, node, path))
        {
            if (BucketNames.Check(entry.Name) is { } error)
            {
                ctx.Error(entry.KeyNode, entry.Path, error);
                continue;
            }
            if (seen.TryGetValue(entry.Name, out var first))
            {
                // S3 bucket names are global; one name in two stores would make replication targets ambiguous.
                ctx.Error(entry.KeyNode, entry.Path, $"duplicate bucket '{entry.Name}' (first at line {first.Line}); bucket names are global");
                continue;
            }
            seen[entry.Name] = entry.KeyNode;
            var bucket = new BucketConfig { Name = entry.Name, Location = ctx.Where(entry.KeyNode) };
            if (entry.Value is not YScalar { IsNull: true } && YamlReader.AsMapping(ctx, entry.Value, entry.Path) is { } bm)
            {
                var b = new MapReader(ctx, bm, entry.Path, BucketKeys);
                bucket = bucket with { Versioning = b.Bool("versioning") ?? false, PublicRead = b.Bool("public_read") ?? false };
                if (b.Get("replication") is { } replication)
                {
                    bucket = bucket with { Replication = rules.Read(replication, b.PathOf("replication"), entry.Name) };
                }
            }
            result.Add(bucket);
        }
        return result;
    }
}
