using System.Diagnostics.CodeAnalysis;

namespace Meridian.Dns.Wire;

/// <summary>
/// A parsed query, filled by <see cref="DnsQueryParser.TryParse"/>. A mutable struct with inline buffers so the
/// server can keep one per worker (or on the stack) and parse into it with no allocation; pass it by ref.
/// Fields are only meaningful as far as parsing got: <see cref="Id"/>/<see cref="Flags"/> whenever the packet had
/// a header, the question once <see cref="QuestionLength"/> &gt; 0, EDNS once <see cref="HasEdns"/>.
/// </summary>
public struct DnsQuery
{
    public ushort Id;
    /// <summary>The raw header flags word of the query (see <see cref="DnsHeader"/> for masks).</summary>
    public ushort Flags;
    public ushort QType;
    public ushort QClass;
    /// <summary>Offset of the question section in the packet (always 12) and its length including QTYPE/QCLASS, so
    /// a response can copy it verbatim (preserving the client's 0x20 case randomisation).</summary>
    public int QuestionOffset;
    public int QuestionLength;

    /// <summary>The question name in uncompressed wire format, ASCII-lowercased; <see cref="NameLength"/> bytes.</summary>
    public DnsNameBuffer NameBuffer;
    public int NameLength;
    /// <summary>Number of labels, not counting the root.</summary>
    public int LabelCount;

    public bool HasEdns;
    /// <summary>Requestor's UDP payload size, clamped to at least 512 (RFC 6891 6.2.5).</summary>
    public ushort EdnsUdpPayloadSize;
    public byte EdnsVersion;
    /// <summary>The DO bit (RFC 3225).</summary>
    public bool DnssecOk;
    /// <summary>An EDNS version we do not support was requested; the answer must be BADVERS.</summary>
    public bool EdnsUnsupportedVersion;

    public bool HasClientSubnet;
    public DnsClientSubnet ClientSubnet;

    public readonly DnsOpcode Opcode => DnsHeader.GetOpcode(Flags);

    public readonly bool RecursionDesired => (Flags & DnsHeader.FlagRD) != 0;

    /// <summary>The lowercased wire name (e.g. <c>\x03app\x08mydomain\x04test\x00</c>).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Name => ((ReadOnlySpan<byte>)NameBuffer)[..NameLength];

    /// <summary>
    /// Largest response the client accepts over UDP: its EDNS payload size (capped at <paramref name="serverMax"/>)
    /// or 512 without EDNS (RFC 1035 4.2.1).
    /// </summary>
    public readonly int MaxUdpResponseSize(int serverMax = 1232) =>
        HasEdns ? Math.Max(512, Math.Min(EdnsUdpPayloadSize, serverMax)) : 512;

    /// <summary>
    /// Writes the question name in presentation form ("app.mydomain.test", lowercase, no trailing dot, empty for the
    /// root) for a lookup with <c>Dictionary.GetAlternateLookup&lt;ReadOnlySpan&lt;char&gt;&gt;()</c>.
    /// <paramref name="destination"/> of <see cref="DnsName.MaxPresentationLength"/> chars always suffices.
    /// </summary>
    public readonly bool TryFormatName(Span<char> destination, out int charsWritten) =>
        DnsName.TryFormat(((ReadOnlySpan<byte>)NameBuffer)[..NameLength], destination, out charsWritten);

    /// <summary>Clears every field for reuse (the name buffer need not be cleared; NameLength bounds it).</summary>
    public void Reset()
    {
        Id = 0;
        Flags = 0;
        QType = 0;
        QClass = 0;
        QuestionOffset = 0;
        QuestionLength = 0;
        NameLength = 0;
        LabelCount = 0;
        HasEdns = false;
        EdnsUdpPayloadSize = 0;
        EdnsVersion = 0;
        DnssecOk = false;
        EdnsUnsupportedVersion = false;
        HasClientSubnet = false;
        ClientSubnet = default;
    }
}
