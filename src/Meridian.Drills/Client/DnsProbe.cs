using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Meridian.Dns.Answering;
using Meridian.Dns.Wire;

namespace Meridian.Drills.Client;

/// <summary>
/// Asks the DNS server for the app name over UDP as a client in the drill's subnet would: with an EDNS Client
/// Subnet option (which DnsClient.NET cannot send), so the answer is the one that client's resolver gets. Like a
/// stub resolver, an unanswered query is sent once more (UDP may drop one datagram on a loaded host; a resolver
/// retries, and a drill should report the DNS server's answers, not one lost packet).
/// </summary>
internal sealed class DnsProbe(DrillOptions options)
{
    private const ushort TypeA = 1;

    /// <summary>Per attempt; two attempts at most.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(500);

    public async Task<(ProbeSample Sample, IReadOnlyList<IPAddress> Addresses)> ProbeAsync(string name, TimeSpan offset, CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var udp = new UdpClient(options.DnsServer.AddressFamily);
            var id = (ushort)Random.Shared.Next(ushort.MaxValue);
            var query = QueryBuilder.Build(name, TypeA, options.ClientSubnet, id);
            UdpReceiveResult received;
            try
            {
                received = await AskAsync(udp, query, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                received = await AskAsync(udp, query, token).ConfigureAwait(false);
            }

            var response = DnsMessageDecoder.Decode(received.Buffer);
            var addresses = response.Answers.Where(a => a.Type == TypeA).Select(a => IPAddress.Parse(a.Data)).ToArray();
            var ok = response.Id == id && response.Rcode == DnsRcode.NoError && addresses.Length > 0;
            var detail = ok ? string.Join(",", addresses.Select(a => a.ToString())) : $"{response.Rcode}, {addresses.Length} answers";
            return (new ProbeSample("dns", offset, ok, detail, null, Stopwatch.GetElapsedTime(started)), addresses);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or FormatException)
        {
            return (new ProbeSample("dns", offset, false, ex is OperationCanceledException ? "timeout" : ex.Message, null, Stopwatch.GetElapsedTime(started)), []);
        }
    }

    private async Task<UdpReceiveResult> AskAsync(UdpClient udp, byte[] query, CancellationToken token)
    {
        await udp.SendAsync(query, options.DnsServer, token).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(AttemptTimeout);
        return await udp.ReceiveAsync(timeout.Token).ConfigureAwait(false);
    }
}
