using System.Text.RegularExpressions;
using Meridian.Database.Processes;

namespace Meridian.Database.Binaries;

/// <summary>
/// The PostgreSQL server programs Meridian runs: a configured folder, else <c>pg_config --bindir</c>, else the highest
/// Debian versioned folder (/usr/lib/postgresql/N/bin, where the server package puts initdb, off the PATH).
/// </summary>
public sealed partial record PostgresBinaries(string BinDir, int MajorVersion)
{
    /// <summary>The programs set-up, failover and rejoin need; a folder missing any of them is not used.</summary>
    internal static readonly string[] Required = ["initdb", "pg_ctl", "postgres", "pg_basebackup", "pg_rewind", "pg_controldata"];

    private const string DebianRoot = "/usr/lib/postgresql";

    public string Initdb => Tool("initdb");
    public string PgCtl => Tool("pg_ctl");
    public string Postgres => Tool("postgres");
    public string PgBasebackup => Tool("pg_basebackup");
    public string PgRewind => Tool("pg_rewind");
    public string PgControldata => Tool("pg_controldata");

    public string Tool(string name) => Path.Combine(BinDir, name);

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)")]
    private static partial Regex VersionPattern();

    /// <summary>Finds the binaries or throws a <see cref="DatabaseException"/> saying where it looked and how to install them.</summary>
    public static PostgresBinaries Locate(string? configuredBinDir, string field)
    {
        var looked = new List<string>();
        if (configuredBinDir is not null)
        {
            if (Check(configuredBinDir) is { } missing)
            {
                throw new DatabaseException($"{field}: {configuredBinDir} has no PostgreSQL server programs ({missing} missing)");
            }
            return WithVersion(configuredBinDir);
        }

        foreach (var candidate in Candidates())
        {
            looked.Add(candidate);
            if (Check(candidate) is null)
            {
                return WithVersion(candidate);
            }
        }

        var where = looked.Count == 0 ? "pg_config is not on the PATH and " + DebianRoot + " does not exist" : "looked in " + string.Join(", ", looked.Distinct());
        throw new DatabaseException(
            $"PostgreSQL server binaries not found ({where}). Install them with `apt-get install postgresql` " +
            $"(Debian/Ubuntu), or set {field} to the folder holding initdb and pg_ctl.");
    }

    private static IEnumerable<string> Candidates()
    {
        if (PgConfigBinDir() is { } fromPgConfig)
        {
            yield return fromPgConfig;
        }
        if (Directory.Exists(DebianRoot))
        {
            foreach (var dir in Directory.GetDirectories(DebianRoot)
                         .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                         .Where(d => d.Version > 0)
                         .OrderByDescending(d => d.Version))
            {
                yield return Path.Combine(dir.Dir, "bin");
            }
        }
    }

    private static string? PgConfigBinDir()
    {
        try
        {
            var result = CommandRunner.RunDirect("pg_config", ["--bindir"], TimeSpan.FromSeconds(5));
            return result.ExitCode == 0 && result.Output.Trim() is { Length: > 0 } dir ? dir : null;
        }
        catch (DatabaseException)
        {
            return null; // pg_config is not installed: fall back to the Debian folders
        }
    }

    private static string? Check(string dir)
    {
        var missing = Required.Where(t => !File.Exists(Path.Combine(dir, t))).ToList();
        return missing.Count == 0 ? null : string.Join(", ", missing);
    }

    private static PostgresBinaries WithVersion(string dir)
    {
        var result = CommandRunner.RunDirect(Path.Combine(dir, "postgres"), ["--version"], TimeSpan.FromSeconds(10));
        var match = VersionPattern().Match(result.Output);
        if (result.ExitCode != 0 || !match.Success)
        {
            throw new DatabaseException($"{dir}/postgres --version did not report a version: {result.Output.Trim()} {result.Error.Trim()}");
        }
        return new PostgresBinaries(dir, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
