namespace Meridian.Database.Failover;

/// <summary>
/// What the failover state machine does to servers. The state machine decides; this acts (on real PostgreSQL in
/// production, recorded by a scripted double in the state machine's virtual-time tests). Every method throws
/// <see cref="DatabaseException"/> when it could not do its job.
/// </summary>
public interface IClusterActions
{
    /// <summary>
    /// Makes <paramref name="member"/> unable to accept writes now and after a restart: stopped, and configured to come
    /// back as a replica of <paramref name="writer"/>. Returns what was done.
    /// </summary>
    Task<string> FenceAsync(string member, string writer, CancellationToken token);

    /// <summary>Promotes <paramref name="member"/> to writer, points <paramref name="followers"/> at it and sets its synchronous standbys.</summary>
    Task<string> PromoteAsync(string member, IReadOnlyList<string> followers, string synchronousNames, CancellationToken token);

    /// <summary>Rewinds (or rebuilds) <paramref name="member"/> into a replica of <paramref name="writer"/> and starts it.</summary>
    Task<string> RejoinAsync(string member, string writer, CancellationToken token);

    /// <summary>Sets synchronous_standby_names on the writer.</summary>
    Task SetSynchronousAsync(string writer, string synchronousNames, CancellationToken token);

    /// <summary>Clean shutdown (switchover): returns the WAL position of the final shutdown checkpoint.</summary>
    Task<long> StopCleanlyAsync(string member, CancellationToken token);

    /// <summary>Starts a stopped member with its current configuration (switchover abort).</summary>
    Task StartAsync(string member, CancellationToken token);
}
