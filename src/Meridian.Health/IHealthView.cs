namespace Meridian.Health;

/// <summary>The current health of every check, readable lock-free from the DNS answer path.</summary>
public interface IHealthView
{
    IReadOnlyList<HealthCheckState> All { get; }

    HealthCheckState? Find(string name);
}
