using Meridian.Topology.Model;

namespace Meridian.Dns.Zones;

/// <summary>A name in a zone with its record sets. Names with no sets are empty non-terminals (NODATA, not NXDOMAIN).</summary>
internal sealed class NameNode
{
    private (ushort Type, RecordSetNode Set)[] _sets = [];

    public NameNode(string name, byte[] wireName, CompiledZone zone)
    {
        Name = name;
        WireName = wireName;
        Zone = zone;
    }

    public string Name { get; }

    /// <summary>The owner name in uncompressed wire format, for answers whose owner is not the question name.</summary>
    public byte[] WireName { get; }

    public CompiledZone Zone { get; }

    public RecordSetNode? Cname { get; private set; }

    public bool HasSets => _sets.Length > 0;

    public IEnumerable<RecordSetNode> Sets => _sets.Select(s => s.Set);

    public RecordSetNode? Find(ushort type)
    {
        var sets = _sets;
        for (var i = 0; i < sets.Length; i++)
        {
            if (sets[i].Type == type)
            {
                return sets[i].Set;
            }
        }

        return null;
    }

    public void Add(RecordSetNode set)
    {
        _sets = [.. _sets, ((ushort)set.Type, set)];
        if (set.Type == RecordType.CNAME)
        {
            Cname = set;
        }
    }
}
