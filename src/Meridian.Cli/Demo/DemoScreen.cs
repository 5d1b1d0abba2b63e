using System.Net;
using System.Text;
using Meridian.Cli.Commands;
using Meridian.Hosting;

namespace Meridian.Cli.Demo;

/// <summary>
/// The demo's live view: regions (load balancer targets, DNS checks), edge locations (origin health, requests,
/// failovers) and the answers DNS gives right now to a client near each region. Redrawn every second on a
/// terminal; when output is redirected only a changed view is printed, so logs stay readable.
/// </summary>
internal sealed class DemoScreen(MeridianHost host, string header, IReadOnlyList<(string Label, IPNetwork? Client)> clients)
{
    private string _last = "";

    public void Draw(bool terminal)
    {
        var body = Render();
        if (terminal)
        {
            Console.Write("\u001b[H\u001b[J" + header + Environment.NewLine + body);
        }
        else if (body != _last)
        {
            Console.WriteLine($"--- {DateTime.Now:HH:mm:ss}");
            Console.WriteLine(body);
        }

        _last = body;
    }

    private string Render()
    {
        var text = new StringBuilder();
        var topology = host.Topology;
        var down = host.Outages.RegionsDown;
        text.AppendLine(Table.Format(["REGION", "LOAD BALANCER", "TARGETS", "DNS CHECKS"],
            topology.Regions.Select(r =>
            {
                var balancers = host.Balancers.Where(b => topology.LoadBalancers.Any(l => l.Name == b.Name && l.Region == r.Name)).ToArray();
                var checks = host.Health?.All.Where(c => topology.FindHealthCheck(c.Name) is { } hc && hc.Host == r.Address.ToString()) ?? [];
                return new[]
                {
                    r.Name + (down.Contains(r.Name) ? " (DOWN: drill)" : ""),
                    balancers.Length == 0 ? "-" : string.Join(", ", balancers.Select(b => b.Endpoint.ToString())),
                    balancers.Length == 0 ? "-" : string.Join("; ", balancers.Select(b => $"{b.HealthyTargets}/{b.Targets.Count} healthy{(b.IsFailingOpen ? " (failing open)" : "")}")),
                    string.Join(", ", checks.Select(c => $"{c.Name} {c.Status}{(c.LastLatency is { } l ? $" {l.TotalMilliseconds:0.0}ms" : "")}")),
                };
            })));
        if (host.Edge is { } edge)
        {
            text.AppendLine();
            var origins = edge.GetOriginHealth();
            text.AppendLine(Table.Format(["EDGE", "LISTEN", "REQUESTS", "FAILOVERS", "ORIGINS"],
                edge.Endpoints.Select(e =>
                {
                    var metrics = edge.GetMetrics(e.Key);
                    return new[]
                    {
                        e.Key,
                        string.Join(", ", e.Value),
                        metrics.Requests.ToString(),
                        metrics.Failovers.ToString(),
                        string.Join(", ", origins.Select(o => $"{o.Origin} {o.Status}").Distinct()),
                    };
                })));
        }

        if (host.Dns is { } dns)
        {
            text.AppendLine();
            var rows = new List<string[]>();
            foreach (var name in DemoNames.Of(topology))
            {
                foreach (var (label, client) in clients)
                {
                    var explain = dns.Explain(name, "A", client);
                    rows.Add([name, label, explain.Rcode == "NOERROR" ? string.Join(", ", explain.Answers.Select(a => a.Value)) : explain.Rcode]);
                }
            }

            text.AppendLine(Table.Format(["NAME", "CLIENT", "DNS ANSWER NOW"], rows));
        }

        return text.ToString();
    }
}
