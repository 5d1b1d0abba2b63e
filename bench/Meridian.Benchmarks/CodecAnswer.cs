using System.Net;

namespace Meridian.Benchmarks;

/// <summary>
/// The answer every codec in <see cref="CodecComparisonBenchmarks"/> builds: one A record for the question name, as
/// a zone would hold it (the library objects for it are made once, like a zone loaded at start-up).
/// </summary>
internal static class CodecAnswer
{
    public const string QuestionName = "app.mydomain.test";
    public const int Ttl = 5;
    /// <summary>Our advertised EDNS UDP payload size (RFC 6891; DNS flag day 2020).</summary>
    public const ushort UdpPayloadSize = 1232;
    /// <summary>Echoed ECS scope prefix (RFC 7871 7.2.1): the answer holds for the client's whole /24.</summary>
    public const byte EcsScopePrefix = 24;
    public const string ClientSubnet = "81.2.69.0/24";

    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.11");
    public static readonly byte[] AddressBytes = Address.GetAddressBytes();
}
