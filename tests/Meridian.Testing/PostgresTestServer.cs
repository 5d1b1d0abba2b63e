using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Meridian.Testing;

/// <summary>
/// A throwaway PostgreSQL server for tests: initdb into /tmp, trust auth on loopback, its own address and a free
/// port. Runs the server binaries as the <c>postgres</c> OS user when the tests run as root (PostgreSQL refuses
/// root). Stopped (immediate) and deleted on dispose.
/// </summary>
public sealed class PostgresTestServer : IAsyncDisposable
{
    private PostgresTestServer(string directory, IPAddress address, int port)
    {
        Directory = directory;
        Address = address;
        Port = port;
    }

    public string Directory { get; }

    public IPAddress Address { get; }

    public int Port { get; }

    private static bool IsRoot => Environment.UserName == "root";

    public static string BinDirectory =>
        System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
              ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)")
            : throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql; ./test.sh installs it)");

    /// <summary>A new primary (initdb + start).</summary>
    public static async Task<PostgresTestServer> StartPrimaryAsync(IPAddress address)
    {
        var server = new PostgresTestServer(NewDirectory(), address, FreePort(address));
        await RunAsync("initdb", "-D", server.Directory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        await File.AppendAllTextAsync(Path.Combine(server.Directory, "pg_hba.conf"),
            "host all all 127.0.0.0/8 trust\nhost replication all 127.0.0.0/8 trust\n");
        await server.ConfigureAndStartAsync();
        return server;
    }

    /// <summary>A streaming standby of <paramref name="primary"/> (pg_basebackup -R + start).</summary>
    public static async Task<PostgresTestServer> StartStandbyAsync(PostgresTestServer primary, IPAddress address)
    {
        var server = new PostgresTestServer(NewDirectory(), address, FreePort(address));
        System.IO.Directory.Delete(server.Directory);
        await RunAsync("pg_basebackup", "-h", primary.Address.ToString(), "-p", primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", "postgres", "-D", server.Directory, "-R", "-X", "stream", "--no-sync");
        await server.ConfigureAndStartAsync();
        return server;
    }

    public Task PromoteAsync() => RunAsync("pg_ctl", "-D", Directory, "-w", "promote");

    public Task StopAsync() => RunAsync("pg_ctl", "-D", Directory, "-m", "immediate", "-w", "stop");

    public Task StartAsync() => RunAsync("pg_ctl", "-D", Directory, "-l", Path.Combine(Directory, "server.log"), "-w", "-t", "60", "start");

    /// <summary>Runs SQL as postgres through psql (so tests need no driver of their own).</summary>
    public Task SqlAsync(string sql) => RunAsync("psql", "-h", Address.ToString(), "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task ConfigureAndStartAsync()
    {
        await File.AppendAllTextAsync(Path.Combine(Directory, "postgresql.conf"),
            $"\nlisten_addresses = '{Address}'\nport = {Port}\nunix_socket_directories = '{Directory}'\nfsync = off\nmax_connections = 20\n");
        await StartAsync();
    }

    private static string NewDirectory()
    {
        var directory = Path.Combine("/tmp", "meridian-pg-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        if (IsRoot)
        {
            Run("chown", "postgres:postgres", directory);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return directory;
    }

    private static int FreePort(IPAddress address)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static Task RunAsync(string tool, params string[] args)
    {
        var path = tool == "psql" ? "psql" : Path.Combine(BinDirectory, tool);
        return Task.Run(() =>
        {
            if (IsRoot)
            {
                Run("runuser", ["-u", "postgres", "--", path, .. args]);
            }
            else
            {
                Run(path, args);
            }
        });
    }

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: no exit within 90 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }
    }
}
