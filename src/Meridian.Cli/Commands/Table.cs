using System.Text;

namespace Meridian.Cli.Commands;

/// <summary>Plain fixed-width tables: readable in any terminal and in logs, and easy to grep.</summary>
internal static class Table
{
    public static string Format(IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { headers.ToArray() };
        all.AddRange(rows);
        var widths = headers.Select((_, i) => all.Max(r => i < r.Length ? r[i].Length : 0)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                var cell = i < row.Length ? row[i] : "";
                text.Append(i == widths.Length - 1 ? cell : cell.PadRight(widths[i] + 2));
            }

            text.AppendLine();
        }

        return text.ToString().TrimEnd();
    }
}
