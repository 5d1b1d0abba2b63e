namespace Meridian.Dns.Wire;

/// <summary>
/// A record boundary captured by <see cref="DnsResponseWriter.Mark"/>; <see cref="DnsResponseWriter.Rollback"/>
/// returns the writer to it (bytes, section counts and compression table), e.g. to drop a partial RRset before
/// setting TC.
/// </summary>
public readonly struct DnsWriterMark
{
    internal DnsWriterMark(int position, int nameCount, ushort qd, ushort an, ushort ns, ushort ar, DnsSection section)
    {
        Position = position;
        NameCount = nameCount;
        QdCount = qd;
        AnCount = an;
        NsCount = ns;
        ArCount = ar;
        Section = section;
    }

    /// <summary>Message length at the mark.</summary>
    public int Position { get; }
    internal int NameCount { get; }
    internal ushort QdCount { get; }
    internal ushort AnCount { get; }
    internal ushort NsCount { get; }
    internal ushort ArCount { get; }
    internal DnsSection Section { get; }
}
