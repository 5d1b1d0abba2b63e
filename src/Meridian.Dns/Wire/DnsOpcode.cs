namespace Meridian.Dns.Wire;

/// <summary>Header OPCODE values (RFC 1035, 1996, 2136). Only <see cref="Query"/> is implemented.</summary>
public enum DnsOpcode : byte
{
    Query = 0,
    IQuery = 1,
    Status = 2,
    Notify = 4,
    Update = 5,
}
