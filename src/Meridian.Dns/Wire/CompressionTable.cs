using System.Runtime.CompilerServices;

namespace Meridian.Dns.Wire;

/// <summary>Offsets of names already written to a response, for name compression; fixed size so it lives on the stack.</summary>
[InlineArray(Capacity)]
internal struct CompressionTable
{
    public const int Capacity = 32;
    private ushort _element0;
}
