using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Meridian.Drills.Report;

/// <summary>Writes the drill's JSON, Markdown and SVG files, and the terminal summary.</summary>
public static class DrillReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes drill.json, drill.md and drill-timeline.svg into <paramref name="folder"/>; returns their paths.</summary>
    public static IReadOnlyList<string> WriteFiles(DrillReport report, string folder)
    {
        Directory.CreateDirectory(folder);
        var json = Path.Combine(folder, "drill.json");
        var markdown = Path.Combine(folder, "drill.md");
        var svg = Path.Combine(folder, "drill-timeline.svg");
        File.WriteAllText(json, JsonSerializer.Serialize(report, Json));
        File.WriteAllText(svg, SvgTimeline.Render(report));
        File.WriteAllText(markdown, Markdown(report, Path.GetFileName(svg)));
        return [json, markdown, svg];
    }

    public static string Summary(DrillReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"region-outage drill: {report.Region} ({report.Mode.ToString().ToLowerInvariant()}), started {report.StartedAt:u}");
        if (!report.BaselineAnsweredRegion)
        {
            text.AppendLine($"note: before the outage DNS did not answer {report.Region} for this client; failover figures are not meaningful");
        }

        text.AppendLine();
        foreach (var (name, value) in Figures(report))
        {
            text.AppendLine($"  {name,-42} {value}");
        }

        foreach (var note in DatabaseNotes(report))
        {
            text.AppendLine($"  note: {note}");
        }

        text.AppendLine();
        text.AppendLine($"  {"path",-8} {"requests",9} {"errors",7} {"in outage",10} {"p50 ms",8} {"p99 ms",8}  answered by");
        foreach (var path in report.Paths)
        {
            text.AppendLine(Invariant($"  {path.Path,-8} {path.Requests,9} {path.Errors,7} {path.ErrorsDuringOutage,10} {path.P50Ms,8:0.0} {path.P99Ms,8:0.0}  {string.Join(", ", path.AnsweredBy.Select(a => $"{a.Key} {a.Value}"))}"));
        }

        text.AppendLine();
        foreach (var entry in report.Timeline)
        {
            text.AppendLine(Invariant($"  {entry.Offset.TotalSeconds,7:0.000}s  {entry.Event}: {entry.Detail}"));
        }

        return text.ToString();
    }

    public static IEnumerable<(string Name, string Value)> Figures(DrillReport report)
    {
        yield return ("outage → first checker saw it unhealthy", Seconds(report.FirstCheckFailure));
        yield return ("outage → region marked unhealthy", Seconds(report.RegionMarkedUnhealthy));
        yield return ("outage → first DNS answer without region", Seconds(report.DnsFailover));
        yield return ("restore → region healthy again", Seconds(report.RegionHealthyAgain));
        yield return ("restore → DNS answers region again", Seconds(report.DnsFailback));
        if (report.Objects is { } o)
        {
            yield return ("objects written / acknowledged / failed", Invariant($"{o.Attempted} / {o.Acknowledged} / {o.Failed}"));
            yield return ("objects acknowledged before the outage", Invariant($"{o.AcknowledgedBeforeOutage}"));
            yield return ("object RPO: missing in surviving region", Invariant($"{o.MissingInSurvivorDuringOutage} objects"));
            yield return ("objects still missing after recovery", Invariant($"{o.MissingAfterRecovery}"));
            yield return ("replication backlog at the outage", o.BacklogAtOutage is { } b ? Invariant($"{b.Operations} operations, {b.Bytes} bytes") : "not known");
            yield return ("outage → first acknowledged object write", Seconds(o.WriteRecovery));
            if (o.Note is { } note)
            {
                yield return ("objects: note", note);
            }
        }

        if (report.Database is { } d)
        {
            yield return ("rows written / acknowledged / failed", Invariant($"{d.Attempted} / {d.Acknowledged} / {d.Failed}"));
            yield return ("rows acknowledged before the outage", Invariant($"{d.AcknowledgedBeforeOutage}"));
            yield return ("database RPO: acknowledged rows missing", d.MissingAfterRecovery is { } m ? Invariant($"{m} rows") : "not known");
            yield return ("rows acknowledged after the outage, missing", d.MissingAcknowledgedAfterOutage is { } a ? Invariant($"{a}") : "not known");
            yield return ("replica lag at the outage", Lag(d.LagAtOutage));
            yield return ("outage → first failed row write", d.FirstFailedWrite is { } f ? Invariant($"{f.TotalSeconds:0.00} s") : "none failed");
            yield return ("database RTO: outage → first write after", d.FirstFailedWrite is null ? "not applicable (no write failed)" : Seconds(d.WriteRecovery));
            yield return ("database writer before / after", $"{d.WriterBeforeOutage ?? "?"} / {d.WriterAfter ?? "?"}");
        }
    }

    private static string Markdown(DrillReport report, string svgFile)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Region-outage drill: {report.Region} ({report.Mode.ToString().ToLowerInvariant()})");
        md.AppendLine();
        md.AppendLine($"Started {report.StartedAt:u}; outage at {report.OutageAt.TotalSeconds:0.00} s, restore at {report.RestoreAt.TotalSeconds:0.00} s, {report.Duration.TotalSeconds:0} s in all.");
        md.AppendLine();
        md.AppendLine($"![timeline]({svgFile})");
        md.AppendLine();
        md.AppendLine("| figure | value |");
        md.AppendLine("|---|---|");
        foreach (var (name, value) in Figures(report))
        {
            md.AppendLine($"| {name} | {value} |");
        }

        foreach (var note in DatabaseNotes(report))
        {
            md.AppendLine();
            md.AppendLine($"Note: {note}");
        }

        md.AppendLine();
        md.AppendLine("| path | requests | errors | errors during outage | p50 ms | p99 ms | answered by |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var p in report.Paths)
        {
            md.AppendLine(Invariant($"| {p.Path} | {p.Requests} | {p.Errors} | {p.ErrorsDuringOutage} | {p.P50Ms:0.0} | {p.P99Ms:0.0} | {string.Join(", ", p.AnsweredBy.Select(a => $"{a.Key} {a.Value}"))} |"));
        }

        md.AppendLine();
        md.AppendLine("| at | event | detail |");
        md.AppendLine("|---:|---|---|");
        foreach (var entry in report.Timeline)
        {
            md.AppendLine(Invariant($"| {entry.Offset.TotalSeconds:0.000} s | {entry.Event} | {entry.Detail.Replace("|", "\\|")} |"));
        }

        return md.ToString();
    }

    private static IEnumerable<string> DatabaseNotes(DrillReport report)
    {
        if (report.Database is not { } d)
        {
            yield break;
        }

        foreach (var note in d.Notes)
        {
            yield return note;
        }

        if (d.MissingRows.Count > 0)
        {
            yield return $"rows missing (first {d.MissingRows.Count}): {string.Join(", ", d.MissingRows)} of run {d.Run}";
        }

        if (d.FirstError is { } error)
        {
            yield return $"first failed row write: {error}";
        }
    }

    private static string Lag(IReadOnlyList<Data.ReplicaLag>? lag) => lag is null || lag.Count == 0
        ? "not known"
        : string.Join("; ", lag.Select(l => Invariant($"{l.Member}: {(l.ReplayBytes is { } b ? $"{b} bytes" : "? bytes")}{(l.ReplaySeconds is { } s ? $", {s:0.000} s" : "")}")));

    private static string Seconds(TimeSpan? value) => value is { } v ? Invariant($"{v.TotalSeconds:0.00} s") : "not observed";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
