namespace Meridian.Hosting;

/// <summary>What a process runs. `--roles dns` on a DNS host; everything in one process for the demo.</summary>
[Flags]
public enum MeridianRole
{
    None = 0,
    /// <summary>The authoritative GSLB DNS server (implies health: answers need health).</summary>
    Dns = 1,
    /// <summary>Health checkers (the observation source for DNS).</summary>
    Health = 2,
    /// <summary>The HTTP control API (status, explain, events, reload).</summary>
    Control = 4,
    /// <summary>The regional load balancers (of --region, or all).</summary>
    Balancer = 8,
    /// <summary>The edge locations (of --region, or all).</summary>
    Edge = 16,
    /// <summary>The S3-compatible object stores (of --region, or all).</summary>
    Storage = 32,
    /// <summary>The PostgreSQL clusters: set-up, monitoring, automated failover (`databases:` in the topology).</summary>
    Database = 64,
    All = Dns | Health | Control | Balancer | Edge | Storage | Database,
}
