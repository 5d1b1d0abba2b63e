using System.Globalization;

namespace Meridian.DatabaseBench;

/// <summary>
/// `dotnet run -c Release --project bench/Meridian.DatabaseBench -- [runs] [rate]`: failover under steady writes,
/// asynchronous standby then synchronous standby; prints a Markdown section for docs/benchmarks.md (bench/database/run.sh).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var rows = new List<string>();
        foreach (var synchronous in new[] { false, true })
        {
            for (var i = 1; i <= runs; i++)
            {
                var r = await new FailoverRun(synchronous, rate, TimeSpan.FromSeconds(4)).RunAsync();
                var line = $"| {(synchronous ? "synchronous" : "asynchronous")} standby | {i} | {r.RtoSeconds:0.00} | {r.DetectionSeconds:0.00} | {r.NewWriter} | {r.LagBytesAtPromotion} | {r.Acknowledged} | {r.Lost} |";
                Console.Error.WriteLine(line);
                rows.Add(line);
            }
        }
        Console.WriteLine($"- {rate} writes/s (16 client connections, one INSERT per row, autocommit), 4 s of steady writes, then SIGKILL of the primary's postmaster");
        Console.WriteLine("- check_interval 1 s, unhealthy_for 3 s, max_lag_on_failover 16MB; the client writes to whichever member the cluster names writer (what db-writer resolves to, without the DNS TTL)");
        Console.WriteLine();
        Console.WriteLine("| replication | run | kill → first acknowledged write (s) | unhealthy → promoted (s) | promoted | lag at promotion (bytes) | rows acknowledged | acknowledged rows lost |");
        Console.WriteLine("|---|---:|---:|---:|---|---:|---:|---:|");
        foreach (var row in rows)
        {
            Console.WriteLine(row);
        }
        return 0;
    }
}
