namespace Meridian.Drills.Data;

/// <summary>
/// What the drill's row writer saw. The database RPO is <see cref="MissingAfterRecovery"/>: rows the app acknowledged
/// (committed) before the outage that the writer no longer has after it; the RTO is <see cref="WriteRecovery"/>.
/// </summary>
/// <param name="Run">The run name (rows are drill_rows(run, n)).</param>
/// <param name="Attempted">POSTs tried.</param>
/// <param name="Acknowledged">POSTs answered 201 (committed).</param>
/// <param name="Failed">POSTs that failed (503 from the app, errors, timeouts).</param>
/// <param name="AcknowledgedBeforeOutage">Acknowledged before the outage started.</param>
/// <param name="MissingAfterRecovery">Of those, absent from the writer after the restore (the database RPO); null when the rows could not be read back.</param>
/// <param name="MissingAcknowledgedAfterOutage">Acknowledged after the outage started yet absent afterwards (writes lost to a demoted writer); null when not read back.</param>
/// <param name="WriterBeforeOutage">The database address that took the last write before the outage (as the app reported it).</param>
/// <param name="WriterAfter">The database address that took the last acknowledged write.</param>
/// <param name="FirstFailedWrite">Outage → the first write that failed; null when none did.</param>
/// <param name="WriteRecovery">Outage → the first acknowledged write after writes failed (on the new primary when the writer moved): the database RTO; null when writes never failed or never recovered.</param>
/// <param name="LagAtOutage">Each replica's lag at the outage; null when not known.</param>
/// <param name="Notes">What could not be measured, and why.</param>
/// <param name="MissingRows">Up to 20 of the missing row numbers.</param>
/// <param name="FirstError">The first failure's reason, as the app gave it.</param>
public sealed record DatabaseTierReport(
    string Run,
    int Attempted,
    int Acknowledged,
    int Failed,
    int AcknowledgedBeforeOutage,
    int? MissingAfterRecovery,
    int? MissingAcknowledgedAfterOutage,
    string? WriterBeforeOutage,
    string? WriterAfter,
    TimeSpan? FirstFailedWrite,
    TimeSpan? WriteRecovery,
    IReadOnlyList<ReplicaLag>? LagAtOutage,
    IReadOnlyList<string> Notes,
    IReadOnlyList<int> MissingRows,
    string? FirstError);
