using Meridian.Dns.Clients;

namespace Meridian.Dns.Server;

/// <summary>Turns one query packet into one response packet. Returns the response length; 0 means drop.</summary>
internal interface IDnsResponder
{
    int Respond(ReadOnlySpan<byte> query, Span<byte> response, ClientAddress source, bool overTcp);
}
