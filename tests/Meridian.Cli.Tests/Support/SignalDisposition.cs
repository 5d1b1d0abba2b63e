using System.Globalization;

namespace Meridian.Cli.Tests.Support;

/// <summary>Reads this process's ignored-signal mask (Linux /proc), which child processes inherit.</summary>
internal static class SignalDisposition
{
    public static bool SighupIgnored()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return false;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)
            && (mask & 1) != 0; // bit 0 is signal 1, SIGHUP
    }
}
