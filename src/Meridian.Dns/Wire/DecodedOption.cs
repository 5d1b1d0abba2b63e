namespace Meridian.Dns.Wire;

/// <summary>One EDNS option of a decoded OPT record.</summary>
public sealed record DecodedOption(ushort Code, byte[] Data);
