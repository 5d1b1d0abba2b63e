using Meridian.Storage.Events;
using Meridian.Storage.Store;
using Meridian.Topology.Model;

namespace Meridian.Storage.Replication;

/// <summary>
/// S3's rule evaluation: enabled rules whose filter (prefix and every tag) matches; per destination bucket the
/// highest priority wins. Delete markers carry no tags, so tag-filtered rules never match them (as S3), and they
/// go only where the winning rule turns delete marker replication on.
/// </summary>
internal static class ReplicationRuleMatcher
{
    public static IReadOnlyList<ReplicationRuleConfig> Select(IReadOnlyList<ReplicationRuleConfig> rules, ObjectEventKind kind, ObjectVersion version)
    {
        var deleteMarker = kind == ObjectEventKind.DeleteMarkerCreated;
        var winners = rules
            .Where(r => r.Enabled && version.Key.StartsWith(r.Prefix, StringComparison.Ordinal))
            .Where(r => deleteMarker ? r.Tags.Count == 0 : r.Tags.All(t => version.Tags.TryGetValue(t.Key, out var v) && v == t.Value))
            .GroupBy(Destination)
            .Select(g => g.OrderByDescending(r => r.Priority).First());
        return deleteMarker ? winners.Where(r => r.DeleteMarkerReplication).ToArray() : winners.ToArray();
    }

    public static string Destination(ReplicationRuleConfig rule) =>
        $"{rule.DestinationStore ?? rule.DestinationEndpoint?.ToString()}/{rule.DestinationBucket}";
}
