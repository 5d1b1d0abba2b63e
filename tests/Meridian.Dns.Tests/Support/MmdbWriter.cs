using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Meridian.Dns.Tests.Support;

/// <summary>
/// A small MaxMind DB (format v2.0) writer for tests, written from the spec: a binary search tree over the address
/// bits (128 for ip_version 6 with IPv4 at ::a.b.c.d/96, optionally aliased from ::ffff:0:0/96 as GeoLite2 does;
/// 32 for ip_version 4), 16 zero bytes, the data section, then "\xAB\xCD\xEFMaxMind.com" and the metadata map.
/// Networks are inserted least specific first, so a more specific network carves its range out of a wider one.
/// </summary>
internal sealed class MmdbWriter
{
    private static readonly byte[] MetadataMarker = [0xAB, 0xCD, 0xEF, .. Encoding.ASCII.GetBytes("MaxMind.com")];
    private readonly List<(UInt128 Bits, int Length, object Value)> _networks = [];

    public MmdbWriter(string databaseType, int recordSize = 28, int ipVersion = 6)
    {
        if (recordSize is not (24 or 28 or 32))
        {
            throw new ArgumentOutOfRangeException(nameof(recordSize), "record size is 24, 28 or 32");
        }

        if (ipVersion is not (4 or 6))
        {
            throw new ArgumentOutOfRangeException(nameof(ipVersion), "ip_version is 4 or 6");
        }

        DatabaseType = databaseType;
        RecordSize = recordSize;
        IpVersion = ipVersion;
    }

    public string DatabaseType { get; }

    public int RecordSize { get; }

    public int IpVersion { get; }

    /// <summary>Point ::ffff:0:0/96 at the IPv4 subtree (GeoLite2 layout); ip_version 6 only.</summary>
    public bool AliasIPv4Mapped { get; init; } = true;

    public DateTimeOffset BuildTime { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private int TreeDepth => IpVersion == 6 ? 128 : 32;

    /// <summary>Maps every address in <paramref name="cidr"/> (e.g. "81.2.69.0/24", "2a02:c7f::/32") to a value.</summary>
    public MmdbWriter Add(string cidr, object value)
    {
        var network = IPNetwork.Parse(cidr);
        Span<byte> bytes = stackalloc byte[16];
        network.BaseAddress.TryWriteBytes(bytes, out var written);
        var v4 = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
        if (!v4 && IpVersion == 4)
        {
            throw new ArgumentException($"{cidr}: IPv6 network in an ip_version 4 database", nameof(cidr));
        }

        var bits = v4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes[..4]) : BinaryPrimitives.ReadUInt128BigEndian(bytes[..written]);
        var length = network.PrefixLength + (v4 && IpVersion == 6 ? 96 : 0);
        if (length == 0)
        {
            throw new ArgumentException("a zero-length network has no tree node to hang a value on", nameof(cidr));
        }

        _networks.Add((bits, length, value));
        return this;
    }

    public void WriteTo(string path) => File.WriteAllBytes(path, ToArray());

    public byte[] ToArray()
    {
        var root = BuildTree();
        var nodes = Number(root);
        var (data, offsets) = EncodeData(nodes);

        var output = new MemoryStream();
        var nodeCount = (ulong)nodes.Count;
        var index = new Dictionary<MmdbNode, int>(ReferenceEqualityComparer.Instance);
        nodes.ForEach(n => index.Add(n, index.Count));
        foreach (var node in nodes)
        {
            var left = Record(node, 0, nodeCount, index, offsets);
            var right = Record(node, 1, nodeCount, index, offsets);
            WriteNode(output, left, right);
        }

        output.Write(new byte[16]);
        output.Write(data);
        output.Write(MetadataMarker);
        MmdbDataEncoder.Write(output, Metadata(nodes.Count));
        return output.ToArray();
    }

    private MmdbNode BuildTree()
    {
        var root = new MmdbNode();
        foreach (var (bits, length, value) in _networks.OrderBy(n => n.Length))
        {
            var node = root;
            for (var depth = 0; depth < length - 1; depth++)
            {
                node = node.Descend(Bit(bits, depth));
            }

            node.SetValue(Bit(bits, length - 1), value);
        }

        if (IpVersion == 6 && AliasIPv4Mapped)
        {
            // Walk ::/96 (the IPv4 subtree) and ::ffff:0:0/95, then hang the former off the latter's "1" side.
            var v4Root = root;
            for (var depth = 0; depth < 96; depth++)
            {
                v4Root = v4Root.Descend(0);
            }

            var mapped = root;
            for (var depth = 0; depth < 95; depth++)
            {
                mapped = mapped.Descend(depth < 80 ? 0 : 1);
            }

            mapped.Children[1] = v4Root;
            mapped.Values[1] = null;
        }

        return root;
    }

    private int Bit(UInt128 bits, int depth) => (int)((bits >> (TreeDepth - 1 - depth)) & 1);

    /// <summary>Breadth-first numbering; the root is node 0. Shared (aliased) nodes are numbered once.</summary>
    private static List<MmdbNode> Number(MmdbNode root)
    {
        var seen = new HashSet<MmdbNode>(ReferenceEqualityComparer.Instance) { root };
        var order = new List<MmdbNode>();
        var queue = new Queue<MmdbNode>([root]);
        while (queue.TryDequeue(out var node))
        {
            order.Add(node);
            foreach (var child in node.Children)
            {
                if (child is not null && seen.Add(child))
                {
                    queue.Enqueue(child);
                }
            }
        }

        return order;
    }

    /// <summary>Each distinct value (by reference) is stored once; networks sharing it point at the same offset.</summary>
    private static (byte[] Data, Dictionary<object, int> Offsets) EncodeData(List<MmdbNode> nodes)
    {
        var data = new MemoryStream();
        var offsets = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
        foreach (var value in nodes.SelectMany(n => n.Values).OfType<object>())
        {
            if (!offsets.ContainsKey(value))
            {
                offsets[value] = (int)data.Position;
                MmdbDataEncoder.Write(data, value);
            }
        }

        return (data.ToArray(), offsets);
    }

    /// <summary>A node number, node_count for "no data", or node_count + 16 + the value's data-section offset.</summary>
    private ulong Record(MmdbNode node, int side, ulong nodeCount, Dictionary<MmdbNode, int> index, Dictionary<object, int> offsets)
    {
        var record = node.Children[side] is { } child ? (ulong)index[child]
            : node.Values[side] is { } value ? nodeCount + 16 + (ulong)offsets[value]
            : nodeCount;
        if (record >= 1UL << RecordSize)
        {
            throw new InvalidOperationException($"record value {record} does not fit in {RecordSize} bits");
        }

        return record;
    }

    private void WriteNode(Stream output, ulong left, ulong right)
    {
        switch (RecordSize)
        {
            case 24:
                WriteBigEndian(output, left, 3);
                WriteBigEndian(output, right, 3);
                break;
            case 28:
                // Low 24 bits of each record either side; the middle byte holds the left's top nibble, then the right's.
                WriteBigEndian(output, left & 0xFFFFFF, 3);
                output.WriteByte((byte)(((left >> 24) << 4) | (right >> 24)));
                WriteBigEndian(output, right & 0xFFFFFF, 3);
                break;
            default:
                WriteBigEndian(output, left, 4);
                WriteBigEndian(output, right, 4);
                break;
        }
    }

    private static void WriteBigEndian(Stream output, ulong value, int bytes)
    {
        for (var i = bytes - 1; i >= 0; i--)
        {
            output.WriteByte((byte)(value >> (8 * i)));
        }
    }

    private Dictionary<string, object> Metadata(int nodeCount) => new()
    {
        ["binary_format_major_version"] = (ushort)2,
        ["binary_format_minor_version"] = (ushort)0,
        ["build_epoch"] = (ulong)BuildTime.ToUnixTimeSeconds(),
        ["database_type"] = DatabaseType,
        ["description"] = new Dictionary<string, object> { ["en"] = $"Meridian test {DatabaseType} database" },
        ["ip_version"] = (ushort)IpVersion,
        ["languages"] = new[] { "en" },
        ["node_count"] = (uint)nodeCount,
        ["record_size"] = (ushort)RecordSize,
    };
}
