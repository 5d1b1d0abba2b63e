using System.Net;

namespace Meridian.SampleApp.Endpoints;

/// <summary>The admin switch can break an instance, so only processes on the same machine may use it.</summary>
internal static class AdminAccess
{
    public static bool IsAllowed(IPAddress? remote)
    {
        if (remote is null)
        {
            // No remote address means an in-memory transport (e.g. TestServer): same process, so trusted.
            return true;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        return IPAddress.IsLoopback(remote);
    }
}
