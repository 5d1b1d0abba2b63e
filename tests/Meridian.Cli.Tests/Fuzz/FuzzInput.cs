namespace Meridian.Cli.Tests.Fuzz;

/// <summary>One generated packet: its kind (for the report) and its bytes.</summary>
internal sealed record FuzzInput(int Index, string Kind, byte[] Packet)
{
    public override string ToString() => $"#{Index} {Kind} ({Packet.Length} bytes): {Convert.ToHexString(Packet.AsSpan(0, Math.Min(Packet.Length, 64)))}";
}
