namespace Meridian.Cli.Tests.Fuzz;

/// <summary>
/// Hand-made malformed queries kept as named regression cases, each with the rcode an authoritative server must
/// answer (null: send nothing). Inputs the fuzzer finds crashing or hanging the server belong here too.
/// </summary>
internal static class NastyPackets
{
    private const int FormErr = 1;
    private const int NotImp = 4;
    private static readonly byte[] QuestionTail = [0, 1, 0, 1]; // A IN

    public static readonly IReadOnlyDictionary<string, (byte[] Packet, int? Rcode)> All = new Dictionary<string, (byte[], int?)>
    {
        ["empty"] = ([], null),
        ["header-only-11-bytes"] = (Header()[..11], null),
        ["response-bit-set"] = ([.. Header(flags: 0x8100), .. Name("app"), .. QuestionTail], null),
        ["pointer-to-itself"] = ([.. Header(), 0xC0, 12, .. QuestionTail], FormErr),
        ["pointers-to-each-other"] = ([.. Header(), 0xC0, 14, 0xC0, 12, .. QuestionTail], FormErr),
        ["label-then-pointer-back"] = ([.. Header(), 3, .. "app"u8, 0xC0, 12, .. QuestionTail], FormErr),
        ["pointer-past-end"] = ([.. Header(), 4, .. "test"u8, 0xFF, 0xFF, .. QuestionTail], FormErr),
        ["qdcount-65535"] = ([.. Header(qd: 65535), .. Name("app"), .. QuestionTail], FormErr),
        ["arcount-65535"] = ([.. Header(ar: 65535), .. Name("app"), .. QuestionTail], FormErr),
        ["label-length-64"] = ([.. Header(), 64, .. Enumerable.Repeat((byte)'a', 64), 0, .. QuestionTail], FormErr),
        ["name-over-255-bytes"] = ([.. Header(), .. Enumerable.Repeat<byte[]>([63, .. Enumerable.Repeat((byte)'a', 63)], 5).SelectMany(l => l), 0, .. QuestionTail], FormErr),
        ["opt-rdlength-past-end"] = ([.. Header(ar: 1), .. Name("app.mydomain.test"), .. QuestionTail, 0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0xFF, 0xFF], FormErr),
        ["ecs-v4-source-prefix-33"] = (
            [.. Header(ar: 1), .. Name("app.mydomain.test"), .. QuestionTail, 0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 12, 0, 8, 0, 8, 0, 1, 33, 0, 81, 2, 69, 0],
            FormErr),
        ["opcode-update"] = ([.. Header(flags: 0x2800), .. Name("mydomain.test"), 0, 6, 0, 1], NotImp),
    };

    public static IEnumerable<object[]> Names => All.Keys.Select(k => new object[] { k });

    private static byte[] Header(ushort flags = 0x0100, ushort qd = 1, ushort ar = 0) =>
        [0x12, 0x34, (byte)(flags >> 8), (byte)flags, (byte)(qd >> 8), (byte)qd, 0, 0, 0, 0, (byte)(ar >> 8), (byte)ar];

    private static byte[] Name(string name) => WireQuery.EncodeName(name);

    public static string Describe(string name) => $"{name}: {Convert.ToHexString(All[name].Packet)}";
}
