namespace Meridian.Drills.Data;

/// <summary>
/// What the drill's object writer saw. The object RPO is <see cref="MissingInSurvivorDuringOutage"/>: objects the
/// drilled region acknowledged before the outage that the surviving region did not have while the region was down.
/// </summary>
/// <param name="Attempted">PUTs tried (to the drilled region, or to the surviving one after the writer failed over).</param>
/// <param name="Acknowledged">PUTs answered 200.</param>
/// <param name="Failed">PUTs that failed (before the writer moved to the surviving region).</param>
/// <param name="WrittenToSurvivor">PUTs acknowledged by the surviving region after the writer failed over.</param>
/// <param name="AcknowledgedBeforeOutage">Acknowledged by the drilled region before the outage started.</param>
/// <param name="MissingInSurvivorDuringOutage">Of those, absent from the surviving region's bucket during the outage (object RPO).</param>
/// <param name="MissingAfterRecovery">Of those, still absent after the restore and <see cref="ObjectDrillOptions.RecoveryWait"/>.</param>
/// <param name="BacklogAtOutage">Replication work owed at the outage, when known.</param>
/// <param name="WriteRecovery">Outage → first acknowledged write after it (the object write RTO); null when none.</param>
/// <param name="MissingKeys">Up to 20 of the keys missing during the outage.</param>
/// <param name="Note">Why a figure could not be measured (e.g. the surviving bucket could not be listed), else null.</param>
public sealed record ObjectTierReport(
    int Attempted,
    int Acknowledged,
    int Failed,
    int WrittenToSurvivor,
    int AcknowledgedBeforeOutage,
    int MissingInSurvivorDuringOutage,
    int MissingAfterRecovery,
    ReplicationBacklog? BacklogAtOutage,
    TimeSpan? WriteRecovery,
    IReadOnlyList<string> MissingKeys,
    string? Note = null);
