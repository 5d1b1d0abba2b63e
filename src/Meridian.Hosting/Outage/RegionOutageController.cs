using Microsoft.Extensions.Logging;

namespace Meridian.Hosting.Outage;

/// <summary>
/// Takes a region down and brings it back, for `meridian drill region-outage` against a process that runs the
/// region's components (the demo). Refuse: the components stop, so connections are refused. Hang: they stop and a
/// <see cref="HangListener"/> takes each address, so connections are accepted and never answered.
/// Every injection and restore is logged as an event with its reason.
/// </summary>
public sealed class RegionOutageController(ILogger logger)
{
    private readonly List<IRegionComponent> _components = [];
    private readonly Dictionary<string, List<HangListener>> _hanging = new(StringComparer.Ordinal);
    private readonly HashSet<string> _down = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public IReadOnlyCollection<string> RegionsDown
    {
        get
        {
            lock (_down)
            {
                return _down.ToArray();
            }
        }
    }

    public void Register(IRegionComponent component)
    {
        lock (_components)
        {
            _components.Add(component);
        }
    }

    public IReadOnlyList<IRegionComponent> ComponentsOf(string region)
    {
        lock (_components)
        {
            return _components.Where(c => c.Region == region).ToArray();
        }
    }

    public async Task InjectAsync(string region, bool hang, CancellationToken token)
    {
        await _gate.WaitAsync(token);
        try
        {
            var components = ComponentsOf(region);
            if (components.Count == 0)
            {
                throw new InvalidOperationException($"this process runs nothing in region '{region}'");
            }

            bool added;
            lock (_down)
            {
                added = _down.Add(region);
            }

            if (!added)
            {
                throw new InvalidOperationException($"region '{region}' is already down");
            }

            foreach (var component in components)
            {
                await component.StopAsync(token);
            }

            if (hang)
            {
                _hanging[region] = components.SelectMany(c => c.Endpoints).Select(e => new HangListener(e)).ToList();
            }

            logger.LogWarning("Outage injected in {Region} ({Mode}): {Components} stopped{Hang}", region, hang ? "hang" : "refuse",
                string.Join(", ", components.Select(c => c.Name)), hang ? "; their addresses accept and never answer" : "; connections are refused");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RestoreAsync(string region, CancellationToken token)
    {
        await _gate.WaitAsync(token);
        try
        {
            bool removed;
            lock (_down)
            {
                removed = _down.Remove(region);
            }

            if (!removed)
            {
                throw new InvalidOperationException($"region '{region}' is not down");
            }

            if (_hanging.Remove(region, out var listeners))
            {
                listeners.ForEach(l => l.Dispose());
            }

            foreach (var component in ComponentsOf(region))
            {
                await component.StartAsync(token);
            }

            logger.LogWarning("Region {Region} restored", region);
        }
        finally
        {
            _gate.Release();
        }
    }
}
