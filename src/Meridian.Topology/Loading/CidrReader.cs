using System.Net;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>Reads one CIDR value, reporting syntax errors and host bits at the node.</summary>
internal static class CidrReader
{
    public static IPNetwork? Read(LoadContext ctx, YNode node, string path)
    {
        if (YamlReader.AsString(ctx, node, path) is not { } text)
        {
            return null;
        }
        if (Addresses.TryParseCidr(text.Trim(), out var network) is { } error)
        {
            ctx.Error(node, path, error);
            return null;
        }
        return network;
    }
}
