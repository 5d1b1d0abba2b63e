using Meridian.Health;
using Meridian.Topology.Model;

namespace Meridian.Dns.Tests.Support;

/// <summary>A health view whose checks tests set directly, to exercise routing decisions one at a time.</summary>
internal sealed class TestHealthView : IHealthView
{
    private readonly Dictionary<string, HealthCheckState> _checks = new();

    public TestHealthView(params string[] names)
    {
        foreach (var name in names)
        {
            _checks[name] = new HealthCheckState(name, UnknownHealthPolicy.Healthy);
        }
    }

    public IReadOnlyList<HealthCheckState> All => _checks.Values.ToArray();

    public HealthCheckState? Find(string name) => _checks.GetValueOrDefault(name);

    public void Set(string name, bool healthy) =>
        _checks[name].Apply(healthy ? HealthStatus.Healthy : HealthStatus.Unhealthy, "set by test", null, DateTimeOffset.UtcNow);
}
