using System.Diagnostics.CodeAnalysis;

namespace Meridian.Dns.Wire;

/// <summary>Outcome of <see cref="RdataEncoder.Encode"/>: the RDATA bytes, or why the value is invalid.</summary>
public readonly record struct RdataResult(byte[]? Data, string? Error)
{
    [MemberNotNullWhen(true, nameof(Data))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Data is not null;

    public static RdataResult Ok(byte[] data) => new(data, null);

    public static RdataResult Fail(string error) => new(null, error);
}
