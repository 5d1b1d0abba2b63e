using System.Globalization;
using System.Xml.Linq;
using Meridian.Storage.Http;
using Meridian.Topology.Model;

namespace Meridian.Storage.Replication;

/// <summary>
/// Rules set with PutBucketReplication (S3's ReplicationConfiguration XML, already validated by the store) as
/// topology rules: ID, Status, Priority, Filter (Prefix | Tag | And{Prefix, Tag...}) or the V1 top-level Prefix,
/// DeleteMarkerReplication, and Destination/Bucket (an ARN) resolved to the store of this topology holding that
/// bucket. A bucket no store holds keeps the rule with no destination: its objects end FAILED, with the reason.
/// </summary>
internal static class ReplicationXmlRules
{
    public const string UnknownStore = "";

    public static IReadOnlyList<ReplicationRuleConfig> Parse(string xml, StorageConfig storage)
    {
        var root = XElement.Parse(xml);
        var rules = new List<ReplicationRuleConfig>();
        var n = 0;
        foreach (var rule in S3Xml.Children(root, "Rule"))
        {
            n++;
            var filter = S3Xml.Children(rule, "Filter").FirstOrDefault();
            var and = filter is null ? null : S3Xml.Children(filter, "And").FirstOrDefault();
            var prefix = (and is not null ? S3Xml.Child(and, "Prefix") : filter is not null ? S3Xml.Child(filter, "Prefix") : S3Xml.Child(rule, "Prefix")) ?? "";
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tag in (and ?? filter) is { } holder ? S3Xml.Children(holder, "Tag") : [])
            {
                if (S3Xml.Child(tag, "Key") is { } key)
                {
                    tags[key] = S3Xml.Child(tag, "Value") ?? "";
                }
            }
            var destination = S3Xml.Children(rule, "Destination").First();
            var bucket = S3Xml.Child(destination, "Bucket")!["arn:aws:s3:::".Length..];
            var store = storage.Stores.FirstOrDefault(s => s.Buckets.Any(b => b.Name == bucket));
            var deleteMarkers = S3Xml.Children(rule, "DeleteMarkerReplication").FirstOrDefault() is { } dm && S3Xml.Child(dm, "Status") == "Enabled";
            rules.Add(new ReplicationRuleConfig
            {
                Id = S3Xml.Child(rule, "ID") is { Length: > 0 } id ? id : "rule-" + n.ToString(CultureInfo.InvariantCulture),
                Enabled = S3Xml.Child(rule, "Status") == "Enabled",
                Priority = int.TryParse(S3Xml.Child(rule, "Priority"), CultureInfo.InvariantCulture, out var p) ? p : 0,
                Prefix = prefix,
                Tags = tags,
                // V1 rules (no Filter) replicate delete markers; V2 rules say so explicitly (S3).
                DeleteMarkerReplication = filter is null && S3Xml.Children(rule, "DeleteMarkerReplication").FirstOrDefault() is null || deleteMarkers,
                DestinationBucket = bucket,
                DestinationStore = store?.Name ?? UnknownStore,
            });
        }
        return rules;
    }
}
