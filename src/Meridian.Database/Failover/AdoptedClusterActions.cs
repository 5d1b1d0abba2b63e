namespace Meridian.Database.Failover;

/// <summary>
/// Actions for an adopted cluster whose data directories are not on this machine: Meridian monitors and reports, and
/// refuses (with this reason) anything that needs the servers' files. Promotion is not attempted without a fence.
/// </summary>
internal sealed class AdoptedClusterActions : IClusterActions
{
    private const string Why = "the cluster is adopted without local data directories; Meridian only monitors it";

    public Task<string> FenceAsync(string member, string writer, CancellationToken token) => throw new DatabaseException($"cannot fence '{member}': {Why}");

    public Task<string> PromoteAsync(string member, IReadOnlyList<string> followers, string synchronousNames, CancellationToken token) =>
        throw new DatabaseException($"cannot promote '{member}': {Why}");

    public Task<string> RejoinAsync(string member, string writer, CancellationToken token) => throw new DatabaseException($"cannot rejoin '{member}': {Why}");

    public Task SetSynchronousAsync(string writer, string synchronousNames, CancellationToken token) =>
        throw new DatabaseException($"cannot change synchronous_standby_names on '{writer}': {Why}");

    public Task<long> StopCleanlyAsync(string member, CancellationToken token) => throw new DatabaseException($"cannot stop '{member}': {Why}");

    public Task StartAsync(string member, CancellationToken token) => throw new DatabaseException($"cannot start '{member}': {Why}");
}
