using System.Globalization;
using Meridian.Storage.Replication;

namespace Meridian.Cli.Commands;

/// <summary>The replication rules table `meridian status` and `meridian storage replication` print.</summary>
internal static class ReplicationTable
{
    public static string Format(IReadOnlyList<ReplicationRuleStatus> rules) => rules.Count == 0
        ? "replication: no rules in this process"
        : Table.Format(
            ["BUCKET", "RULE", "DESTINATION", "PENDING", "BYTES PENDING", "DONE", "FAILED", "P50", "P99", "MAX", "LAST ERROR"],
            rules.Select(r => new[]
            {
                $"{r.Store}/{r.Bucket}", r.Rule, r.Destination, Count(r.OperationsPending), Count(r.BytesPending), Count(r.Completed), Count(r.Failed),
                Ms(r.LatencyP50Ms), Ms(r.LatencyP99Ms), Ms(r.LatencyMaxMs), r.LastError ?? "",
            }));

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Ms(double? ms) => ms is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "-";
}
