namespace Meridian.Cli.Tests.Support;

/// <summary>
/// Topology YAML for the tests, generated from a template: two regions and two HTTP health checks like
/// samples/topologies/two-region.yaml, with the health endpoints' ports and the listeners filled in.
/// </summary>
internal static class Topologies
{
    public const string Zone = "mydomain.test";
    public const string Primary = "127.0.0.11";
    public const string Secondary = "127.0.0.12";

    private const string Template = """
        regions:
          us-east-1: { address: 127.0.0.11, continent: NA, country: US }
          eu-west-1: { address: 127.0.0.12, continent: EU, country: IE }

        health_checks:
          primary-app:
            type: http
            target: 127.0.0.1:{PRIMARY_PORT}
            path: /health
            interval: 1s
            timeout: 1s
            fall: 2
            rise: 2
            confirm_interval: 250ms
          secondary-app:
            type: http
            target: 127.0.0.1:{SECONDARY_PORT}
            path: /health
            interval: 1s
            timeout: 1s
            fall: 2
            rise: 2
            confirm_interval: 250ms

        latency:
          - { network: 81.2.69.0/24, rtt: { us-east-1: 85, eu-west-1: 12 } }
          - { network: 0.0.0.0/0,    rtt: { us-east-1: 40, eu-west-1: 90 } }

        dns:
          listen: [{DNS_LISTEN}]

        control:
          listen: {CONTROL_LISTEN}

        zones:
          mydomain.test:
            soa: { primary_ns: ns1.mydomain.test, hostmaster: hostmaster.mydomain.test, minimum: 60 }
            name_servers: [ns1.mydomain.test]
            when_all_unhealthy: {WHEN_ALL_UNHEALTHY}
            records:
              - { name: ns1, type: A, ttl: 3600, values: [127.0.0.1] }
              - { name: failover, type: A, ttl: 5, set_id: primary,   routing: { failover: primary },   values: [127.0.0.11], health_check: primary-app }
              - { name: failover, type: A, ttl: 5, set_id: secondary, routing: { failover: secondary }, values: [127.0.0.12], health_check: secondary-app }

              - { name: app, type: A, ttl: 5, set_id: us-east-1, routing: { latency: us-east-1 }, alias: { target: us-east-1.app, evaluate_target_health: true } }
              - { name: app, type: A, ttl: 5, set_id: eu-west-1, routing: { latency: eu-west-1 }, alias: { target: eu-west-1.app, evaluate_target_health: true } }
              - { name: us-east-1.app, type: A, ttl: 5, set_id: primary,   routing: { failover: primary },   values: [127.0.0.11], health_check: primary-app }
              - { name: us-east-1.app, type: A, ttl: 5, set_id: secondary, routing: { failover: secondary }, values: [127.0.0.12], health_check: secondary-app }
              - { name: eu-west-1.app, type: A, ttl: 5, set_id: primary,   routing: { failover: primary },   values: [127.0.0.12], health_check: secondary-app }
              - { name: eu-west-1.app, type: A, ttl: 5, set_id: secondary, routing: { failover: secondary }, values: [127.0.0.11], health_check: primary-app }

              - { name: static, type: A, ttl: 60, values: [{STATIC_VALUE}] }
              - { name: "@", type: TXT, ttl: 300, values: ["v=spf1 -all"] }
        """;

    /// <summary>
    /// Listener placeholder for files run in-process: the loader requires a real port, and <see cref="HostedMeridian"/>
    /// replaces the listeners with port 0 (so tests never collide); CLI runs pass <see cref="FreePorts"/> instead.
    /// </summary>
    public const string PlaceholderListen = "127.0.0.1:9";

    /// <summary>The failover topology; ports of the two health endpoints and the listeners filled in.</summary>
    public static string Failover(
        int primaryPort,
        int secondaryPort,
        string whenAllUnhealthy = "fail_open",
        string staticValue = "192.0.2.1",
        string dnsListen = PlaceholderListen,
        string controlListen = PlaceholderListen) =>
        Template
            .Replace("{PRIMARY_PORT}", primaryPort.ToString())
            .Replace("{SECONDARY_PORT}", secondaryPort.ToString())
            .Replace("{WHEN_ALL_UNHEALTHY}", whenAllUnhealthy)
            .Replace("{STATIC_VALUE}", staticValue)
            .Replace("{DNS_LISTEN}", dnsListen)
            .Replace("{CONTROL_LISTEN}", controlListen);

    /// <summary>A topology whose checks point at ports nothing listens on (checks stay unknown/failing; fine for static records).</summary>
    public static string Static(string staticValue = "192.0.2.1", string dnsListen = PlaceholderListen, string controlListen = PlaceholderListen) =>
        Failover(9, 9, staticValue: staticValue, dnsListen: dnsListen, controlListen: controlListen);

    public static string Fqdn(string name) => $"{name}.{Zone}";
}
