using Meridian.Database.Servers;
using Meridian.Topology.Model;

namespace Meridian.Database.Setup;

/// <summary>
/// Brings a cluster's local data directories to the declared shape: initdb the primary when nothing exists, start
/// it, base-backup every replica through its own slot, and turn on synchronous replication for synchronous members.
/// Existing directories are resumed, not recreated: the writer is the non-standby directory on the highest
/// timeline (it may have moved since the file was written); a stale former primary is rewound into a replica.
/// When set-up fails, what this run created is stopped and removed, and the error says what was left.
/// </summary>
internal sealed class ClusterBootstrapper(ClusterOperations operations, Action<string> log)
{
    private readonly List<LocalServer> _started = [];
    private readonly List<string> _created = [];

    /// <summary>Returns the writer's member name.</summary>
    public async Task<string> RunAsync(CancellationToken token)
    {
        try
        {
            return await BringUpAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DatabaseException or IOException or UnauthorizedAccessException)
        {
            var cleanup = await CleanUpAsync().ConfigureAwait(false);
            throw new DatabaseException($"database cluster '{operations.Cluster.Name}' set-up failed: {ex.Message}. {cleanup}", ex);
        }
    }

    private async Task<string> BringUpAsync(CancellationToken token)
    {
        var cluster = operations.Cluster;
        var initialised = new Dictionary<string, bool>(StringComparer.Ordinal);
        // Everything is checked before anything is touched.
        foreach (var member in cluster.Members)
        {
            initialised[member.Name] = await DataDirectories.InspectAsync(member.DataDir, operations.Field(member.Name, "data_dir"), token).ConfigureAwait(false);
        }
        foreach (var member in cluster.Members.Where(m => operations.Servers[m.Name].RunningPid() is null))
        {
            operations.Servers[member.Name].EnsurePortFree(operations.Field(member.Name, "listen"));
        }

        string writer;
        if (!initialised.Values.Any(v => v))
        {
            writer = cluster.InitialPrimary.Name;
            log($"initdb of primary '{writer}' in {cluster.InitialPrimary.DataDir}");
            await CreateDirAsync(writer, token).ConfigureAwait(false);
            await operations.InitPrimaryAsync(writer, token).ConfigureAwait(false);
        }
        else
        {
            writer = await ChooseExistingWriterAsync(initialised, token).ConfigureAwait(false);
            log($"resuming existing data directories; writer is '{writer}'");
            operations.Configure(writer, writer, synchronousNames: "");
        }
        await StartAsync(writer, token).ConfigureAwait(false);
        await operations.PrepareWriterAsync(writer, token).ConfigureAwait(false);

        foreach (var member in cluster.Members.Where(m => m.Name != writer))
        {
            var server = operations.Servers[member.Name];
            if (!initialised[member.Name])
            {
                log($"base backup of '{member.Name}' ({member.Region}) from '{writer}'");
                await CreateDirAsync(member.Name, token).ConfigureAwait(false);
                await operations.BaseBackupAsync(member.Name, writer, token).ConfigureAwait(false);
                await StartAsync(member.Name, token).ConfigureAwait(false);
            }
            else if (server.IsConfiguredAsStandby && server.RunningPid() is not null)
            {
                operations.Configure(member.Name, writer);
                await operations.ReloadAsync(member.Name, token).ConfigureAwait(false);
            }
            else if (server.IsConfiguredAsStandby)
            {
                // A stopped standby may be a fenced former writer with WAL the writer never had: pg_rewind says
                // "no rewind required" when it is not, and makes it followable when it is.
                log($"'{member.Name}': {await operations.RejoinAsync(member.Name, writer, token).ConfigureAwait(false)}");
                _started.Add(server);
            }
            else
            {
                // A former primary that never rejoined (Meridian stopped mid-failover): it must not come back writable.
                log($"'{member.Name}' is a former primary; rejoining it as a replica of '{writer}'");
                log($"'{member.Name}': {await operations.RejoinAsync(member.Name, writer, token).ConfigureAwait(false)}");
            }
        }

        // Last: with synchronous names set earlier, the writer would wait on standbys that do not exist yet.
        operations.Configure(writer, writer);
        await operations.ReloadAsync(writer, token).ConfigureAwait(false);
        return writer;
    }

    private async Task<string> ChooseExistingWriterAsync(Dictionary<string, bool> initialised, CancellationToken token)
    {
        var cluster = operations.Cluster;
        var candidates = new List<(DatabaseMemberConfig Member, int Timeline)>();
        foreach (var member in cluster.Members.Where(m => initialised[m.Name] && !operations.Servers[m.Name].IsConfiguredAsStandby))
        {
            var control = await operations.Servers[member.Name].ReadControlDataAsync(token).ConfigureAwait(false);
            candidates.Add((member, control.Timeline));
        }
        if (candidates.Count == 0)
        {
            throw new DatabaseException($"every existing data directory of cluster '{cluster.Name}' is a standby and there is no primary to follow; " +
                "promote one by hand (pg_ctl promote) or remove the data directories to start afresh");
        }
        return candidates
            .OrderByDescending(c => c.Timeline)
            .ThenBy(c => c.Member.InitialRole == DatabaseMemberRole.Primary ? 0 : 1)
            .First().Member.Name;
    }

    private async Task CreateDirAsync(string member, CancellationToken token)
    {
        var dir = operations.Servers[member].DataDir;
        var existed = Directory.Exists(dir);
        await DataDirectories.CreateAsync(dir, operations.Field(member, "data_dir"), token).ConfigureAwait(false);
        if (!existed)
        {
            _created.Add(dir);
        }
        else
        {
            _created.Add(dir + "/*"); // emptied on clean-up, not removed: the folder was the operator's
        }
    }

    private async Task StartAsync(string member, CancellationToken token)
    {
        var server = operations.Servers[member];
        await server.StartAsync(token).ConfigureAwait(false);
        _started.Add(server);
    }

    private async Task<string> CleanUpAsync()
    {
        var left = new List<string>();
        foreach (var server in Enumerable.Reverse(_started))
        {
            try
            {
                await server.StopAsync(immediate: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DatabaseException ex)
            {
                left.Add($"member '{server.Member.Name}' still running ({ex.Message})");
            }
        }
        foreach (var entry in _created)
        {
            var contentsOnly = entry.EndsWith("/*", StringComparison.Ordinal);
            var dir = contentsOnly ? entry[..^2] : entry;
            try
            {
                if (contentsOnly)
                {
                    foreach (var child in Directory.EnumerateFileSystemEntries(dir))
                    {
                        if (Directory.Exists(child))
                        {
                            Directory.Delete(child, recursive: true);
                        }
                        else
                        {
                            File.Delete(child);
                        }
                    }
                }
                else
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                left.Add($"{dir} ({ex.Message})");
            }
        }
        var stopped = _started.Count == 0 ? "" : $"stopped {string.Join(", ", _started.Select(s => s.Member.Name))}; ";
        var removed = _created.Count == 0 ? "" : $"removed the data created by this run ({string.Join(", ", _created)}); ";
        return left.Count == 0
            ? $"Cleaned up: {stopped}{removed}nothing was left behind.".Replace(": nothing", ": nothing", StringComparison.Ordinal)
            : $"Clean-up incomplete, left behind: {string.Join("; ", left)}.";
    }
}
