namespace Meridian.Drills;

/// <summary>Breaks and restores a region: in the demo through the control API, on real hosts with operator commands.</summary>
public interface IOutageInjector
{
    Task InjectAsync(string region, DrillMode mode, CancellationToken token);

    Task RestoreAsync(string region, CancellationToken token);
}
