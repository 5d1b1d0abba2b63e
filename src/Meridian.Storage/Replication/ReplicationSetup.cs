using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Storage.Replication;

/// <summary>
/// Builds the replicator of one store from the topology: its buckets' rules, destinations resolved to S3 endpoints
/// (a store of the topology at its listen address with the topology's first access key; an external endpoint with
/// the rule's own key), the journal under the store's data_dir/replication, and wires it as the store's event sink.
/// </summary>
public static class ReplicationSetup
{
    /// <summary>
    /// Attaches replication to <paramref name="server"/> before it starts (so no change is missed); call
    /// <see cref="ReplicationEngine.Resume"/> once the server started (an already started server: right away). Every
    /// store gets one: rules may also come later through PutBucketReplication. <paramref name="storeEndpoints"/> overrides where a topology store
    /// is reached (tests bind port 0).
    /// </summary>
    public static ReplicationEngine Attach(ObjectStoreServer server, StorageConfig storage, TimeProvider time, ILoggerFactory loggers,
        ReplicationOptions? options = null, Func<string, Uri?>? storeEndpoints = null)
    {
        var config = storage.FindStore(server.Name) ?? throw new ArgumentException($"store '{server.Name}' is not in the topology", nameof(server));
        var rules = config.Buckets.Where(b => b.Replication.Count > 0).ToDictionary(b => b.Name, b => b.Replication, StringComparer.Ordinal);
        options ??= new ReplicationOptions();
        IReplicationDestination Create(ReplicationRuleConfig rule)
        {
            if (rule.DestinationStore == ReplicationXmlRules.UnknownStore)
            {
                return new MissingDestination($"no store of this topology has bucket '{rule.DestinationBucket}' (the rule's destination ARN)");
            }
            if (rule.DestinationStore is { } name)
            {
                var store = storage.FindStore(name) ?? throw new InvalidOperationException($"rule {rule.Id}: unknown store '{name}'");
                var endpoint = storeEndpoints?.Invoke(name) ?? new Uri($"http://{store.Listen}");
                return new S3ReplicationDestination(endpoint, store.Region, storage.Credentials[0], rule.DestinationBucket, meridianStore: true, options.RequestTimeout);
            }
            return new S3ReplicationDestination(rule.DestinationEndpoint!, rule.DestinationRegion ?? "us-east-1",
                rule.DestinationCredentials ?? storage.Credentials[0], rule.DestinationBucket, meridianStore: false, options.RequestTimeout);
        }
        var engine = new ReplicationEngine(server.Files, rules, Create, Path.Combine(config.DataDirectory, "replication"), options, time,
            loggers.CreateLogger("Meridian.Storage.Replication"), xml => ReplicationXmlRules.Parse(xml, storage));
        engine.Start();
        server.EventSink = engine;
        return engine;
    }

    /// <summary>
    /// Beyond S3: GETs of keys missing in <paramref name="server"/>'s buckets go to the bucket replicating into them
    /// when that rule has proxy_missing_reads. Null when no rule asks for it. Dispose it after the server.
    /// </summary>
    public static MissingReadProxy? AttachMissingReads(ObjectStoreServer server, StorageConfig storage, Func<string, Uri?>? storeEndpoints = null)
    {
        var proxy = MissingReadProxy.For(server.Name, storage, storeEndpoints, TimeSpan.FromSeconds(10));
        server.Files.MissingReads = proxy;
        return proxy;
    }
}
