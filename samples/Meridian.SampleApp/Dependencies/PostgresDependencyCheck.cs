using System.Diagnostics;
using Meridian.SampleApp.Data;

namespace Meridian.SampleApp.Dependencies;

/// <summary>
/// <c>postgres:host[:port]</c>: the writer resolves (through Meridian's DNS when a name), accepts a connection and
/// is a writable primary (<c>pg_is_in_recovery() = false</c>, not read-only). A standby or a fenced old primary
/// fails it: an instance that cannot write must not be answered (the tutorial: a shallow OK defeats failover).
/// </summary>
internal sealed class PostgresDependencyCheck : IDependencyCheck
{
    private readonly AppDatabase _database;

    public PostgresDependencyCheck(string name, AppDatabase database)
    {
        Name = name;
        _database = database;
    }

    public string Name { get; }

    public async Task<DependencyCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var detail = await _database.CheckWriterAsync(cancellationToken).ConfigureAwait(false);
            return DependencyCheckResult.Pass(Name, detail, Stopwatch.GetElapsedTime(started));
        }
        catch (DatabaseUnavailableException ex)
        {
            return DependencyCheckResult.Fail(Name, ex.Message, Stopwatch.GetElapsedTime(started));
        }
    }
}
