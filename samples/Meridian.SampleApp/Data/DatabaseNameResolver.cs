using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Meridian.SampleApp.Data;

/// <summary>
/// Turns a <see cref="DatabaseEndpoint"/> into an address and port by asking Meridian's DNS server directly (no cache,
/// no OS resolver): every call is a fresh query, so a failover's new answer is used by the next connection. An SRV
/// record <c>_postgresql._tcp.{name}</c>, when the zone has one, gives the port too (members that share an address,
/// like the demo's primary and in-region standby on 127.0.0.11:5432 and :5433); otherwise the A record and the
/// endpoint's port.
/// </summary>
public sealed class DatabaseNameResolver
{
    private readonly LookupClient? _dns;

    public DatabaseNameResolver(IPEndPoint? dns, TimeSpan timeout)
    {
        if (dns is not null)
        {
            _dns = new LookupClient(new LookupClientOptions(new NameServer(dns))
            {
                UseCache = false,
                Timeout = timeout,
                Retries = 0,
                UseTcpFallback = true,
                ThrowDnsErrors = false,
                ContinueOnDnsError = false,
                ContinueOnEmptyResponse = false,
                Recursion = false,
            });
        }
    }

    public async Task<IPEndPoint> ResolveAsync(DatabaseEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.Address is { } address)
        {
            return new IPEndPoint(address, endpoint.Port);
        }

        if (_dns is null)
        {
            throw new DatabaseUnavailableException($"{endpoint.Host}: a name, and no DNS server is configured (--dns)");
        }

        try
        {
            var srv = await _dns.QueryAsync($"_postgresql._tcp.{endpoint.Host}", QueryType.SRV, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            var service = srv.Answers.SrvRecords().OrderBy(r => r.Priority).ThenByDescending(r => r.Weight).FirstOrDefault();
            if (service is not null)
            {
                var target = service.Target.Value.TrimEnd('.');
                var glued = srv.Additionals.ARecords().FirstOrDefault(a => string.Equals(a.DomainName.Value.TrimEnd('.'), target, StringComparison.OrdinalIgnoreCase));
                var targetAddress = glued?.Address ?? await QueryAddressAsync(target, cancellationToken).ConfigureAwait(false);
                return new IPEndPoint(targetAddress ?? throw NoAddress(endpoint.Host, $"its SRV target {target} has no address"), service.Port);
            }

            var a = await QueryAddressAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
            return new IPEndPoint(a ?? throw NoAddress(endpoint.Host, "no A record answered"), endpoint.Port);
        }
        catch (DnsResponseException ex)
        {
            throw new DatabaseUnavailableException($"{endpoint.Host}: DNS query failed ({ex.Code}: {ex.Message})", ex);
        }
    }

    private async Task<IPAddress?> QueryAddressAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _dns!.QueryAsync(name, QueryType.A, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            throw new DatabaseUnavailableException($"{name}: DNS answered {response.Header.ResponseCode} ({response.ErrorMessage})");
        }

        return response.Answers.ARecords().Select(r => r.Address).FirstOrDefault();
    }

    private static DatabaseUnavailableException NoAddress(string name, string why) =>
        new($"{name}: DNS gave no address ({why}): no healthy member answers for it (for db-writer: no writable primary)");
}
