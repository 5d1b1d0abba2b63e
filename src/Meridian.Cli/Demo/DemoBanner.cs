using System.Text;
using Meridian.Cli.Commands;
using Meridian.Hosting;

namespace Meridian.Cli.Demo;

/// <summary>What runs where, and commands to paste into another terminal.</summary>
internal static class DemoBanner
{
    public static string Render(MeridianHost host, IReadOnlyList<SampleAppComponent> apps, string topologyPath)
    {
        var topology = host.Topology;
        var zone = topology.Zones.Count > 0 ? topology.Zones[0].Name : "mydomain.test";
        var dns = host.Dns?.Endpoints.FirstOrDefault();
        var control = host.ControlEndpoint;
        var rows = new List<string[]>();
        if (dns is not null)
        {
            rows.Add(["dns", "GSLB DNS (UDP+TCP)", dns.ToString()]);
        }

        if (control is not null)
        {
            rows.Add(["control", "control API", $"http://{control}"]);
        }

        foreach (var balancer in host.Balancers)
        {
            var region = topology.LoadBalancers.First(b => b.Name == balancer.Name).Region;
            rows.Add([region, $"load balancer {balancer.Name}", balancer.Endpoint.ToString()]);
            rows.AddRange(apps.Where(a => a.Region == region).Select(a => new[] { region, $"app {a.Instance}", a.Endpoints[0].ToString() }));
        }

        if (host.Edge is { } edge)
        {
            rows.AddRange(edge.Endpoints.Select(e => new[] { "edge", $"edge location {e.Key}", string.Join(", ", e.Value) }));
        }

        rows.AddRange(host.Stores.Select(s => new[] { s.Region, $"object store {s.Name} (S3)", $"http://{s.Endpoint}" }));

        var meridian = Environment.GetEnvironmentVariable("MERIDIAN_COMMAND") ?? "meridian";
        var text = new StringBuilder();
        text.AppendLine($"Meridian demo: {topologyPath}");
        text.AppendLine();
        text.AppendLine(Table.Format(["WHERE", "WHAT", "ADDRESS"], rows));
        text.AppendLine();
        text.AppendLine("Try (another terminal):");
        var balancerPort = topology.LoadBalancers.FirstOrDefault()?.Listen.Port ?? 8080;
        var us = topology.Regions.FirstOrDefault();
        if (dns is not null)
        {
            text.AppendLine($"  dig @{dns.Address} -p {dns.Port} app.{zone} +subnet=81.2.69.0/24    # a European client");
            text.AppendLine($"  dig @{dns.Address} -p {dns.Port} app.{zone} +subnet=24.1.2.0/24     # anyone else");
            text.AppendLine($"  dig @{dns.Address} -p {dns.Port} cdn.{zone} +short");
        }

        if (us is not null)
        {
            text.AppendLine($"  curl -s http://app.{zone}:{balancerPort}/api/region --resolve app.{zone}:{balancerPort}:{us.Address}");
        }

        if (host.Edge is { } e2 && e2.Endpoints.FirstOrDefault() is { Value.Count: > 0 } location)
        {
            var ep = location.Value[0];
            text.AppendLine($"  curl -si http://cdn.{zone}:{ep.Port}/api/region --resolve cdn.{zone}:{ep.Port}:{ep.Address} | grep -i -E 'x-region|x-edge'");
            text.AppendLine($"  curl -si http://cdn.{zone}:{ep.Port}/static/app.css --resolve cdn.{zone}:{ep.Port}:{ep.Address} | grep -i x-cache   # Miss, then Hit");
            if (e2.HttpsEndpoints.GetValueOrDefault(location.Key) is { Count: > 0 } https)
            {
                text.AppendLine($"  curl -sk https://cdn.{zone}:{https[0].Port}/api/region --resolve cdn.{zone}:{https[0].Port}:{https[0].Address}");
            }
        }

        if (host.Stores.FirstOrDefault() is { } store && topology.Storage.Credentials.FirstOrDefault() is { } key)
        {
            var bucket = topology.Storage.FindStore(store.Name)?.Buckets.FirstOrDefault()?.Name;
            text.AppendLine($"  export AWS_ACCESS_KEY_ID={key.AccessKey} AWS_SECRET_ACCESS_KEY={key.SecretKey} AWS_DEFAULT_REGION={store.Region}   # demo S3 keys");
            text.AppendLine($"  aws --endpoint-url http://{store.Endpoint} s3 ls{(bucket is null ? "" : $" s3://{bucket}")}");
            var rule = topology.Storage.FindStore(store.Name)?.Buckets.SelectMany(b => b.Replication).FirstOrDefault(r => r.DestinationStore is not null);
            if (bucket is not null && rule is not null && host.Stores.FirstOrDefault(s => s.Name == rule.DestinationStore) is { } replica)
            {
                text.AppendLine($"  aws --endpoint-url http://{store.Endpoint} s3 cp README.md s3://{bucket}/   # replicated (CRR) to {replica.Region}:");
                text.AppendLine($"  aws --endpoint-url http://{replica.Endpoint} --region {replica.Region} s3api head-object --bucket {rule.DestinationBucket} --key README.md");
            }
        }

        if (us is not null)
        {
            text.AppendLine($"  {meridian} drill region-outage --region {us.Name}        # take a region down, measure failover");
            text.AppendLine($"  {meridian} drill region-outage --region {us.Name} --mode hang");
        }

        text.AppendLine($"  {meridian} status");
        text.AppendLine($"  {meridian} resolve app.{zone} --client 81.2.69.0/24      # why that answer");
        text.AppendLine("Ctrl+C stops the demo.");
        return text.ToString();
    }
}
