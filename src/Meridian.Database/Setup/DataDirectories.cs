using Meridian.Database.Processes;

namespace Meridian.Database.Setup;

/// <summary>Checks and creates data directories so the server account can own them (PostgreSQL insists on 0700 and its own uid).</summary>
internal static class DataDirectories
{
    /// <summary>
    /// Throws when <paramref name="dir"/> exists but is not usable: owned by another account, or non-empty without
    /// being a PostgreSQL data directory. Returns true when it already holds a cluster.
    /// </summary>
    public static async Task<bool> InspectAsync(string dir, string field, CancellationToken token)
    {
        if (!Directory.Exists(dir))
        {
            if (File.Exists(dir))
            {
                throw new DatabaseException($"{field}: {dir} is a file, not a directory");
            }
            return false;
        }
        var owner = await OwnerAsync(dir, token).ConfigureAwait(false);
        if (owner != ServerUser.Name)
        {
            throw new DatabaseException($"{field}: {dir} is owned by '{owner}', but the servers run as '{ServerUser.Name}'; " +
                $"give it to that account (chown -R {ServerUser.Name} {dir}) or choose another data_dir");
        }
        if (File.Exists(Path.Combine(dir, "PG_VERSION")))
        {
            return true;
        }
        if (Directory.EnumerateFileSystemEntries(dir).Any())
        {
            throw new DatabaseException($"{field}: {dir} is not empty and is not a PostgreSQL data directory; Meridian will not overwrite it");
        }
        return false;
    }

    /// <summary>Creates an empty 0700 directory owned by the server account; throws when that account cannot reach it.</summary>
    public static async Task CreateAsync(string dir, string field, CancellationToken token)
    {
        Directory.CreateDirectory(dir);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        ServerUser.Own(dir);
        var probe = await CommandRunner.RunAsServerAsync("test", ["-w", dir, "-a", "-x", dir], TimeSpan.FromSeconds(10), token: token).ConfigureAwait(false);
        if (probe.ExitCode != 0)
        {
            throw new DatabaseException($"{field}: the '{ServerUser.Name}' account cannot enter {dir}: a parent folder is not traversable " +
                "(e.g. /root is 0700); choose a data_dir under /var/tmp, /srv or /var/lib");
        }
    }

    private static async Task<string> OwnerAsync(string path, CancellationToken token)
    {
        var result = await CommandRunner.RunAsync("stat", ["-c", "%U", path], TimeSpan.FromSeconds(10), null, token).ConfigureAwait(false);
        return result.Output.Trim();
    }
}
