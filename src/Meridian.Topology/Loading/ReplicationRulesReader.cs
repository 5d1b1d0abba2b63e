using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>
/// <c>replication: { rule-id: { enabled, priority, prefix, tags: { k: v }, delete_marker_replication,
/// proxy_missing_reads, destination: { bucket, store | endpoint + region + access_key + secret_key } } }</c> under a
/// bucket: S3 CRR rules. Shape errors are reported while reading; references (destination store and bucket,
/// versioning on both sides, overlapping priorities) once every store is read, by <see cref="Validate"/>.
/// </summary>
internal sealed class ReplicationRulesReader(LoadContext ctx)
{
    private static readonly string[] RuleKeys =
        ["enabled", "priority", "prefix", "tags", "delete_marker_replication", "proxy_missing_reads", "destination"];
    private static readonly string[] DestinationKeys = ["bucket", "store", "endpoint", "region", "access_key", "secret_key"];

    private readonly List<(string Bucket, ReplicationRuleConfig Rule, YNode Node, string Path)> _read = [];

    public IReadOnlyList<ReplicationRuleConfig> Read(YNode node, string path, string bucket)
    {
        var rules = new List<ReplicationRuleConfig>();
        foreach (var entry in NamedEntries.Read(ctx, node, path))
        {
            if (YamlReader.AsMapping(ctx, entry.Value, entry.Path) is not { } rm)
            {
                continue;
            }
            var r = new MapReader(ctx, rm, entry.Path, RuleKeys);
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (r.Get("tags") is { } tagsNode)
            {
                foreach (var tag in NamedEntries.Read(ctx, tagsNode, r.PathOf("tags")))
                {
                    if (YamlReader.AsString(ctx, tag.Value, tag.Path) is { } value)
                    {
                        tags[tag.Name] = value;
                    }
                }
            }
            var d = r.Required("destination") is { } dn && YamlReader.AsMapping(ctx, dn, r.PathOf("destination")) is { } dm
                ? new MapReader(ctx, dm, r.PathOf("destination"), DestinationKeys) : null;
            var destinationBucket = d?.RequiredString("bucket");
            if (d is null || destinationBucket is null)
            {
                continue;
            }
            var rule = new ReplicationRuleConfig
            {
                Id = entry.Name,
                Enabled = r.Bool("enabled") ?? true,
                Priority = r.Int("priority", 0, int.MaxValue) ?? 0,
                Prefix = r.String("prefix") ?? "",
                Tags = tags,
                DeleteMarkerReplication = r.Bool("delete_marker_replication") ?? false,
                ProxyMissingReads = r.Bool("proxy_missing_reads") ?? false,
                DestinationBucket = destinationBucket,
                DestinationStore = d.String("store"),
                DestinationEndpoint = ReadEndpoint(d),
                DestinationRegion = d.String("region"),
                DestinationCredentials = d.String("access_key") is { } access && d.String("secret_key") is { } secret ? new(access, secret) : null,
                Location = ctx.Where(entry.KeyNode),
            };
            if ((d.Get("store") is null) == (d.Get("endpoint") is null))
            {
                ctx.Error(d.Node, d.Path, "a destination needs exactly one of 'store' (a store of this topology) or 'endpoint' (any S3 endpoint)");
            }
            if (rule.DestinationEndpoint is not null && (rule.DestinationRegion is null || rule.DestinationCredentials is null))
            {
                ctx.Error(d.Node, d.Path, "an endpoint destination needs 'region', 'access_key' and 'secret_key' (its SigV4 credentials)");
            }
            rules.Add(rule);
            _read.Add((bucket, rule, entry.KeyNode, entry.Path));
        }
        return rules;
    }

    private static Uri? ReadEndpoint(MapReader d)
    {
        if (d.String("endpoint") is not { } text)
        {
            return null;
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0)
        {
            return uri;
        }
        d.Context.Error(d.Get("endpoint")!, d.PathOf("endpoint"), $"expected an http:// or https:// URL of an S3 endpoint, found '{text}'");
        return null;
    }

    /// <summary>Checks what rules refer to, with every store known: reports all problems at once.</summary>
    public void Validate(IReadOnlyList<ObjectStoreConfig> stores)
    {
        var buckets = stores.SelectMany(s => s.Buckets.Select(b => (Store: s, Bucket: b))).ToDictionary(x => x.Bucket.Name, StringComparer.Ordinal);
        foreach (var (source, rule, node, path) in _read)
        {
            if (buckets.TryGetValue(source, out var src) && !src.Bucket.Versioning)
            {
                ctx.Error(node, path, $"replication needs versioning on the source bucket: set versioning: true on '{source}'");
            }
            if (rule.DestinationStore is not { } storeName)
            {
                continue;
            }
            var store = stores.FirstOrDefault(s => s.Name == storeName);
            if (store is null)
            {
                ctx.Error(node, LoadContext.Join(path, "destination.store"),
                    $"unknown store '{storeName}'{Suggestions.Hint(storeName, stores.Select(s => s.Name).ToList())}");
                continue;
            }
            var target = store.Buckets.FirstOrDefault(b => b.Name == rule.DestinationBucket);
            if (target is null)
            {
                ctx.Error(node, LoadContext.Join(path, "destination.bucket"),
                    $"store '{storeName}' has no bucket '{rule.DestinationBucket}'{Suggestions.Hint(rule.DestinationBucket, store.Buckets.Select(b => b.Name).ToList())}");
            }
            else if (!target.Versioning)
            {
                ctx.Error(node, LoadContext.Join(path, "destination.bucket"),
                    $"replication needs versioning on the destination bucket: set versioning: true on '{target.Name}'");
            }
            if (rule.DestinationBucket == source)
            {
                ctx.Error(node, LoadContext.Join(path, "destination.bucket"), "a bucket cannot replicate to itself");
            }
        }
        foreach (var group in _read.GroupBy(x => x.Bucket))
        {
            var rules = group.ToList();
            for (var i = 0; i < rules.Count; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (rules[i].Rule.Priority == rules[j].Rule.Priority && Overlap(rules[i].Rule, rules[j].Rule))
                    {
                        ctx.Error(rules[i].Node, LoadContext.Join(rules[i].Path, "priority"),
                            $"rules '{rules[j].Rule.Id}' and '{rules[i].Rule.Id}' can match the same object and have the same priority {rules[i].Rule.Priority}: give them distinct priorities");
                    }
                }
            }
        }
    }

    /// <summary>Two filters can match one object when one prefix extends the other and no tag key needs two values.</summary>
    private static bool Overlap(ReplicationRuleConfig a, ReplicationRuleConfig b) =>
        (a.Prefix.StartsWith(b.Prefix, StringComparison.Ordinal) || b.Prefix.StartsWith(a.Prefix, StringComparison.Ordinal)) &&
        !a.Tags.Any(t => b.Tags.TryGetValue(t.Key, out var v) && v != t.Value);
}
