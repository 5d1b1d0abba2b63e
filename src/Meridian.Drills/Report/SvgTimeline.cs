using System.Globalization;
using System.Text;
using Meridian.Drills.Client;

namespace Meridian.Drills.Report;

/// <summary>
/// A self-contained SVG of the drill: one lane per path (DNS answers coloured by region, requests as ticks, errors
/// in red) under vertical markers for the outage, the restore and the timeline events. No scripts, no fonts to load.
/// </summary>
internal static class SvgTimeline
{
    private const int Width = 960;
    private const int Left = 110;
    private const int Right = 20;
    private const int LaneHeight = 34;
    private const int Top = 30;

    public static string Render(DrillReport report)
    {
        var lanes = report.Samples.Select(s => s.Path).Distinct().OrderBy(p => p == "dns" ? 0 : 1).ThenBy(p => p).ToArray();
        var height = Top + lanes.Length * LaneHeight + 40 + report.Timeline.Count * 14;
        var seconds = Math.Max(1, report.Duration.TotalSeconds);
        double X(TimeSpan t) => Left + (Width - Left - Right) * Math.Clamp(t.TotalSeconds / seconds, 0, 1);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"monospace\" font-size=\"11\">"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"16\" font-size=\"13\">region-outage drill: {Escape(report.Region)} ({report.Mode.ToString().ToLowerInvariant()})</text>"));
        svg.Append(Invariant($"<text x=\"{Width - Right}\" y=\"16\" text-anchor=\"end\"><tspan fill=\"#1f77b4\">■ {Escape(report.Region)}</tspan> <tspan fill=\"#2ca02c\">■ other region</tspan> <tspan fill=\"#d62728\">■ error</tspan> <tspan fill=\"#e8a0a0\">■ outage</tspan></text>"));
        svg.Append(Invariant($"<rect x=\"{X(report.OutageAt):0.#}\" y=\"{Top - 6}\" width=\"{X(report.RestoreAt) - X(report.OutageAt):0.#}\" height=\"{lanes.Length * LaneHeight + 6}\" fill=\"#fde2e2\"/>"));
        for (var i = 0; i < lanes.Length; i++)
        {
            var y = Top + i * LaneHeight;
            svg.Append(Invariant($"<text x=\"8\" y=\"{y + 18}\">{Escape(lanes[i])}</text>"));
            foreach (var sample in report.Samples.Where(s => s.Path == lanes[i]))
            {
                svg.Append(Invariant($"<rect x=\"{X(sample.Offset):0.#}\" y=\"{y + 4}\" width=\"2\" height=\"{LaneHeight - 12}\" fill=\"{Colour(sample, report.Region)}\"><title>{sample.Offset.TotalSeconds:0.000}s {Escape(sample.Detail)}</title></rect>"));
            }
        }

        var axisY = Top + lanes.Length * LaneHeight + 4;
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{axisY}\" x2=\"{Width - Right}\" y2=\"{axisY}\" stroke=\"#555\"/>"));
        for (var s = 0; s <= (int)seconds; s += seconds > 30 ? 10 : 5)
        {
            svg.Append(Invariant($"<text x=\"{X(TimeSpan.FromSeconds(s)) - 6:0.#}\" y=\"{axisY + 14}\">{s}s</text>"));
        }

        for (var i = 0; i < report.Timeline.Count; i++)
        {
            var entry = report.Timeline[i];
            var x = X(entry.Offset);
            svg.Append(Invariant($"<line x1=\"{x:0.#}\" y1=\"{Top - 6}\" x2=\"{x:0.#}\" y2=\"{axisY + 24 + i * 14}\" stroke=\"#333\" stroke-dasharray=\"2,2\"/>"));
            // Labels right of the middle grow leftwards so they stay inside the picture.
            var anchor = x > Width * 0.6 ? $"x=\"{x - 3:0.#}\" text-anchor=\"end\"" : $"x=\"{x + 3:0.#}\"";
            svg.Append(Invariant($"<text {anchor} y=\"{axisY + 34 + i * 14}\">{entry.Offset.TotalSeconds:0.00}s {Escape(entry.Event)}</text>"));
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Colour(ProbeSample sample, string region) =>
        !sample.Ok ? "#d62728" : sample.Region == region ? "#1f77b4" : "#2ca02c";

    private static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
