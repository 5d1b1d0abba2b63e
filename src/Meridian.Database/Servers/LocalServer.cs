using System.Net;
using System.Net.Sockets;
using Meridian.Database.Binaries;
using Meridian.Database.Processes;
using Meridian.Topology.Model;

namespace Meridian.Database.Servers;

/// <summary>
/// A member whose data directory is on this machine: Meridian starts, stops, backs up into and rewinds it with the
/// PostgreSQL programs, as the server account.
/// </summary>
internal sealed class LocalServer(DatabaseMemberConfig member, PostgresBinaries binaries)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    public DatabaseMemberConfig Member => member;

    public string DataDir => member.DataDir;

    public string LogFile => Path.Combine(DataDir, "meridian-server.log");

    public bool IsInitialised => File.Exists(Path.Combine(DataDir, "PG_VERSION"));

    public bool IsConfiguredAsStandby => File.Exists(Path.Combine(DataDir, ServerConfigFiles.StandbySignal));

    /// <summary>The postmaster's pid when it is running (postmaster.pid names a live postgres process).</summary>
    public int? RunningPid()
    {
        try
        {
            var pidFile = Path.Combine(DataDir, "postmaster.pid");
            if (!File.Exists(pidFile))
            {
                return null;
            }
            var first = File.ReadLines(pidFile).FirstOrDefault();
            if (!int.TryParse(first, out var pid))
            {
                return null;
            }
            var comm = $"/proc/{pid}/comm";
            return File.Exists(comm) && File.ReadAllText(comm).Trim() is "postgres" or "postmaster" ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Throws when another process holds the member's address and port (only checked while this member is stopped).</summary>
    public void EnsurePortFree(string field)
    {
        try
        {
            using var socket = new Socket(member.Listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(member.Listen);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new DatabaseException($"{field}: {member.Listen} is already in use by another process; member '{member.Name}' cannot listen there " +
                "(stop that process or choose another address)");
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            throw new DatabaseException($"{field}: {member.Listen.Address} is not an address of this machine ({ex.Message})");
        }
    }

    public async Task StartAsync(CancellationToken token)
    {
        if (RunningPid() is not null)
        {
            return;
        }
        var result = await CommandRunner.RunAsServerAsync(binaries.PgCtl, ["-D", DataDir, "-l", LogFile, "-w", "-t", ((int)StartTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "start"],
            StartTimeout + TimeSpan.FromSeconds(10), token: token).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new DatabaseException($"member '{member.Name}' ({member.Listen}) did not start: {result.Tail(3)}; server log: {LogTail()}");
        }
    }

    /// <summary>Stops the server (fast: disconnects clients, clean shutdown; immediate: no checkpoint). No-op when stopped.</summary>
    public async Task StopAsync(bool immediate, CancellationToken token)
    {
        if (RunningPid() is null)
        {
            return;
        }
        var result = await CommandRunner.RunAsServerAsync(binaries.PgCtl, ["-D", DataDir, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60", "stop"],
            StopTimeout + TimeSpan.FromSeconds(10), token: token).ConfigureAwait(false);
        if (result.ExitCode != 0 && RunningPid() is not null)
        {
            throw new DatabaseException($"member '{member.Name}' did not stop: {result.Tail(3)}");
        }
    }

    /// <summary>SIGKILL to the postmaster (tests and drills: a crash, not a shutdown).</summary>
    public bool Kill()
    {
        if (RunningPid() is not { } pid)
        {
            return false;
        }
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public async Task<ControlData> ReadControlDataAsync(CancellationToken token)
    {
        var result = await CommandRunner.RunCheckedAsync($"pg_controldata of member '{member.Name}'", binaries.PgControldata, ["-D", DataDir],
            TimeSpan.FromSeconds(30), token: token).ConfigureAwait(false);
        return ControlData.Parse(result.Output);
    }

    public string LogTail()
    {
        try
        {
            return File.Exists(LogFile)
                ? string.Join(" | ", File.ReadLines(LogFile).TakeLast(4))
                : "(no log)";
        }
        catch (IOException ex)
        {
            return $"(log unreadable: {ex.Message})";
        }
    }

    public IPEndPoint Endpoint => member.Listen;
}
