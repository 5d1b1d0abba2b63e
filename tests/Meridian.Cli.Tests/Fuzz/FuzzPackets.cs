using System.Buffers.Binary;

namespace Meridian.Cli.Tests.Fuzz;

/// <summary>
/// Deterministic (seeded) malformed and mutated DNS packets: random bytes, truncations, bit flips, counts larger than
/// the packet, compression pointer loops, oversize and reserved labels, broken EDNS/ECS, odd opcodes and classes.
/// </summary>
internal sealed class FuzzPackets(int seed)
{
    private const int HeaderSize = 12;
    private readonly Random _random = new(seed);
    private readonly byte[][] _seeds =
    [
        WireQuery.Build(1, "app.mydomain.test"),
        WireQuery.Build(2, "static.mydomain.test", WireQuery.TypeTxt, edns: true),
        WireQuery.Build(3, "app.mydomain.test", ecsV4Prefix24: [81, 2, 69]),
        WireQuery.Build(4, "mydomain.test", 255, edns: true),
    ];

    public IEnumerable<FuzzInput> Generate(int count)
    {
        (string, Func<byte[]>)[] kinds =
        [
            ("random", RandomBytes),
            ("truncated", Truncated),
            ("bitflip", BitFlips),
            ("counts", CountsBeyondPacket),
            ("pointer-loop", PointerLoop),
            ("pointer-out-of-range", PointerOutOfRange),
            ("oversize-label", OversizeLabel),
            ("long-name", LongName),
            ("reserved-label-type", ReservedLabelType),
            ("edns", BrokenEdns),
            ("header", OddHeader),
            ("huge", Huge),
        ];
        for (var i = 0; i < count; i++)
        {
            var (kind, make) = kinds[i % kinds.Length];
            yield return new FuzzInput(i, kind, make());
        }
    }

    private byte[] Seed() => (byte[])_seeds[_random.Next(_seeds.Length)].Clone();

    private byte[] RandomBytes()
    {
        var packet = new byte[_random.Next(0, 600)];
        _random.NextBytes(packet);
        return packet;
    }

    private byte[] Truncated()
    {
        var seed = Seed();
        return seed[.._random.Next(0, seed.Length)];
    }

    private byte[] BitFlips()
    {
        var packet = Seed();
        for (var i = _random.Next(1, 9); i > 0; i--)
        {
            packet[_random.Next(packet.Length)] ^= (byte)(1 << _random.Next(8));
        }

        return packet;
    }

    private byte[] CountsBeyondPacket()
    {
        var packet = Seed();
        var offset = 4 + (2 * _random.Next(4));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset), (ushort)_random.Next(2, 65536));
        if (_random.Next(2) == 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), ushort.MaxValue); // ARCOUNT
        }

        return packet;
    }

    private byte[] PointerLoop()
    {
        var packet = Header(arCount: 0);
        switch (_random.Next(3))
        {
            case 0: // the name is a pointer to itself
                packet.AddRange([0xC0, HeaderSize]);
                break;
            case 1: // a label, then a pointer back to the start of the name
                packet.AddRange([3, (byte)'a', (byte)'p', (byte)'p', 0xC0, HeaderSize]);
                break;
            default: // two pointers pointing at each other
                packet.AddRange([0xC0, HeaderSize + 2, 0xC0, HeaderSize]);
                break;
        }

        packet.AddRange([0, 1, 0, 1]);
        return [.. packet];
    }

    private byte[] PointerOutOfRange()
    {
        var packet = Header(arCount: 0);
        var target = (ushort)(0xC000 | _random.Next(HeaderSize, 0x4000));
        packet.AddRange([4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', (byte)(target >> 8), (byte)target, 0, 1, 0, 1]);
        return [.. packet];
    }

    private byte[] OversizeLabel()
    {
        var packet = Header(arCount: 0);
        var claimed = _random.Next(64, 192); // 64..191: over 63, or a reserved 0x40/0x80 label type
        packet.Add((byte)claimed);
        var body = new byte[_random.Next(0, 200)];
        _random.NextBytes(body);
        packet.AddRange(body);
        return [.. packet];
    }

    private byte[] LongName()
    {
        // Valid 63-byte labels until the name is well past 255 bytes.
        var packet = Header(arCount: 0);
        for (var i = _random.Next(4, 9); i > 0; i--)
        {
            packet.Add(63);
            packet.AddRange(Enumerable.Repeat((byte)'a', 63));
        }

        packet.AddRange([0, 0, 1, 0, 1]);
        return [.. packet];
    }

    private byte[] ReservedLabelType()
    {
        var packet = Header(arCount: 0);
        packet.AddRange([_random.Next(2) == 0 ? (byte)0x40 : (byte)0x80, 1, 2, 3, 0, 0, 1, 0, 1]);
        return [.. packet];
    }

    private byte[] BrokenEdns()
    {
        // An OPT record (and ECS option) with random fields and lengths after a valid question.
        var question = WireQuery.Build((ushort)_random.Next(65536), "app.mydomain.test");
        var packet = new List<byte>(question);
        packet[10] = 0; // ARCOUNT 1..3: the OPT below, then whatever follows it
        packet[11] = (byte)_random.Next(1, 4);
        packet.AddRange([0, 0, 41]);
        packet.AddRange([(byte)_random.Next(256), (byte)_random.Next(256)]); // payload size, 0 included
        packet.AddRange([0, (byte)_random.Next(3), (byte)_random.Next(256), 0]); // ext rcode, version 0..2, DO
        var rdata = new List<byte>();
        for (var i = _random.Next(0, 3); i > 0; i--)
        {
            rdata.AddRange([0, (byte)(_random.Next(3) == 0 ? _random.Next(256) : 8)]); // ECS mostly
            var length = _random.Next(0, 24);
            rdata.AddRange([(byte)(length >> 8), (byte)length]);
            rdata.AddRange([0, (byte)_random.Next(4), (byte)_random.Next(256), (byte)_random.Next(256)]); // family, prefixes
            var address = new byte[_random.Next(0, 20)];
            _random.NextBytes(address);
            rdata.AddRange(address);
        }

        var rdLength = _random.Next(4) == 0 ? _random.Next(65536) : rdata.Count;
        packet.AddRange([(byte)(rdLength >> 8), (byte)rdLength]);
        packet.AddRange(rdata);
        return [.. packet];
    }

    private byte[] OddHeader()
    {
        // Opcodes 1..15, QR set, odd classes and types: NOTIMP, drops, REFUSED.
        var packet = Seed();
        packet[2] = (byte)_random.Next(256);
        packet[3] = (byte)_random.Next(256);
        var question = packet.AsSpan(HeaderSize);
        var end = question.IndexOf((byte)0);
        if (end >= 0 && end + 5 <= question.Length)
        {
            BinaryPrimitives.WriteUInt16BigEndian(question[(end + 1)..], (ushort)_random.Next(65536));
            BinaryPrimitives.WriteUInt16BigEndian(question[(end + 3)..], (ushort)_random.Next(65536));
        }

        return packet;
    }

    private byte[] Huge()
    {
        var packet = new byte[_random.Next(1232, 9000)];
        _random.NextBytes(packet);
        Seed().CopyTo(packet, 0);
        packet[2] = 0; // a query, so it is parsed rather than dropped
        return packet;
    }

    private List<byte> Header(int arCount)
    {
        var id = (ushort)_random.Next(65536);
        return [(byte)(id >> 8), (byte)id, 0, 0, 0, 1, 0, 0, 0, 0, 0, (byte)arCount];
    }
}
