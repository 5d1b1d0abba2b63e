using Meridian.Topology.Model;

namespace Meridian.Dns.Zones;

/// <summary>A hosted zone ready to answer: its apex SOA/NS sets and config.</summary>
internal sealed class CompiledZone
{
    public CompiledZone(ZoneConfig config, byte[] wireName, byte[] soaRdata)
    {
        Config = config;
        WireName = wireName;
        SoaRdata = soaRdata;
    }

    public ZoneConfig Config { get; }

    public string Name => Config.Name;

    public byte[] WireName { get; }

    /// <summary>SOA RDATA for the authority section of NXDOMAIN/NODATA answers.</summary>
    public byte[] SoaRdata { get; }

    /// <summary>RFC 2308: negative answers are cached for min(SOA TTL, SOA MINIMUM).</summary>
    public uint NegativeTtl => Math.Min(Config.Soa.Ttl, Config.Soa.Minimum);

    public NameNode Apex { get; set; } = null!;
}
