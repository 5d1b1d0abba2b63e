using System.Net;
using DnsClient;

namespace Meridian.Cli.Tests.Support;

/// <summary>DnsClient.NET against a test server: no cache, short timeouts, errors returned rather than thrown.</summary>
internal static class DnsQueries
{
    public static LookupClient Client(IPEndPoint server, bool tcp = false) => new(new LookupClientOptions(new NameServer(server))
    {
        UseCache = false,
        UseTcpOnly = tcp,
        Retries = 1,
        Timeout = TimeSpan.FromSeconds(2),
        ThrowDnsErrors = false,
        ContinueOnDnsError = false,
        ContinueOnEmptyResponse = false,
        EnableAuditTrail = false,
    });

    /// <summary>The A record addresses of <paramref name="name"/>, sorted, joined by commas ("" for NODATA).</summary>
    public static async Task<string> AddressesAsync(this LookupClient client, string name)
    {
        var response = await client.QueryAsync(name, QueryType.A);
        if (response.HasError)
        {
            throw new InvalidOperationException($"{name}: {response.Header.ResponseCode} {response.ErrorMessage}");
        }

        return string.Join(",", response.Answers.ARecords().Select(a => a.Address.ToString()).Order(StringComparer.Ordinal));
    }
}
