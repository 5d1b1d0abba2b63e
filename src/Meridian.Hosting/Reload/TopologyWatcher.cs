using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Meridian.Hosting.Reload;

/// <summary>
/// Calls back when the topology file changes (file watch, debounced: editors write in several steps and some
/// replace the file by rename) or when the process receives SIGHUP.
/// </summary>
internal sealed class TopologyWatcher : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);
    private readonly FileSystemWatcher _watcher;
    private readonly PosixSignalRegistration? _sighup;
    private readonly Action _reload;
    private readonly ILogger _logger;
    private readonly Timer _timer;

    public TopologyWatcher(string path, Action reload, ILogger logger)
    {
        _reload = reload;
        _logger = logger;
        _timer = new Timer(_ => Fire("file changed"));
        var full = Path.GetFullPath(path);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Schedule();
        _watcher.Created += (_, _) => Schedule();
        _watcher.Renamed += (_, _) => Schedule();
        _watcher.EnableRaisingEvents = true;
        if (!OperatingSystem.IsWindows())
        {
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true; // SIGHUP means reload, not terminate
                Fire("SIGHUP");
            });
        }
    }

    private void Schedule() => _timer.Change(Debounce, Timeout.InfiniteTimeSpan);

    private void Fire(string why)
    {
        _logger.LogInformation("Reloading topology ({Why})", why);
        try
        {
            _reload();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Reload failed; still serving the previous topology");
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _sighup?.Dispose();
        _timer.Dispose();
    }
}
