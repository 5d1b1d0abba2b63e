using System.Net;

namespace Meridian.Hosting.Control;

/// <summary>Parses an explain client: "81.2.69.0/24", or a bare address (taken as /32 or /128).</summary>
public static class ClientSubnet
{
    public static bool TryParse(string? text, out IPNetwork? subnet, out string? error)
    {
        subnet = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (IPNetwork.TryParse(text, out var network))
        {
            subnet = network;
            return true;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            subnet = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        error = $"client '{text}' is not an address or a network in CIDR form (81.2.69.0/24)";
        return false;
    }
}
