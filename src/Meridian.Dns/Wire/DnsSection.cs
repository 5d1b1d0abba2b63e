namespace Meridian.Dns.Wire;

/// <summary>Message sections a record can be written to; they must be written in this order.</summary>
public enum DnsSection : byte
{
    Answer = 0,
    Authority = 1,
    Additional = 2,
}
