using Meridian.Drills.Data;
using Meridian.Topology.Model;

namespace Meridian.Cli.Commands;

/// <summary>
/// The drill's object writer, derived from the topology: a bucket of the drilled region's store with a replication
/// rule to a store of another region (the tutorial's CRR pair), written to with the topology's first credential.
/// </summary>
internal static class ObjectDrillPlan
{
    /// <summary>The writer's options, or null (with why) when the topology has no replicated bucket in the region.</summary>
    public static ObjectDrillOptions? Create(TopologyConfig topology, string region, int rate, out string? why)
    {
        why = null;
        var storage = topology.Storage;
        if (rate <= 0)
        {
            why = "--objects-rate 0";
            return null;
        }

        if (storage.Credentials.Count == 0 || storage.Stores.Count == 0)
        {
            why = "the topology has no object stores";
            return null;
        }

        foreach (var store in storage.Stores.Where(s => s.Region == region))
        {
            foreach (var bucket in store.Buckets)
            {
                foreach (var rule in bucket.Replication.Where(r => r.Enabled).OrderByDescending(r => r.Priority))
                {
                    if (rule.DestinationStore is { } name && storage.FindStore(name) is { } destination && destination.Region != region)
                    {
                        var credential = storage.Credentials[0];
                        return new ObjectDrillOptions
                        {
                            SourceEndpoint = new Uri($"http://{store.Listen}/"),
                            SourceRegion = store.Region,
                            SourceBucket = bucket.Name,
                            ReplicaEndpoint = new Uri($"http://{destination.Listen}/"),
                            ReplicaRegion = destination.Region,
                            ReplicaBucket = rule.DestinationBucket,
                            AccessKey = credential.AccessKey,
                            SecretKey = credential.SecretKey,
                            Rate = rate,
                            // Keys under the rule's prefix, so the rule replicates them.
                            Prefix = $"{rule.Prefix}meridian-drill/",
                        };
                    }
                }
            }
        }

        why = $"no bucket of a store in {region} replicates to another region's store";
        return null;
    }
}
