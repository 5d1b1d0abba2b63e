namespace Meridian.Edge;

/// <summary>
/// The target of a distribution: an origin group's members in priority order, or a lone origin as a group of one
/// (which can never fail over).
/// </summary>
internal sealed class OriginGroupRuntime(string name, OriginRuntime[] members, IReadOnlySet<int> failoverOn)
{
    // An array, walked by index: a foreach over the interface boxed an enumerator on every request.
    private readonly OriginRuntime[] _members = members;

    public string Name { get; } = name;

    public IReadOnlyList<OriginRuntime> Members => _members;

    public IReadOnlySet<int> FailoverOn { get; } = failoverOn;

    /// <summary>
    /// The order to try members in: currently available ones first (priority order), then the unhealthy ones, so a
    /// request still reaches some origin when all are marked down (fail open).
    /// </summary>
    public IReadOnlyList<OriginRuntime> Candidates()
    {
        // Fast path: every member available (the normal case) is the priority order itself: no List (and its array)
        // allocated and filled per request.
        var allAvailable = true;
        for (var i = 0; i < _members.Length; i++)
        {
            if (!_members[i].Health.IsAvailable)
            {
                allAvailable = false;
                break;
            }
        }

        if (allAvailable)
        {
            return _members;
        }

        var result = new List<OriginRuntime>(_members.Length);
        foreach (var member in _members)
        {
            if (member.Health.IsAvailable)
            {
                result.Add(member);
            }
        }

        foreach (var member in _members)
        {
            if (!result.Contains(member))
            {
                result.Add(member);
            }
        }

        return result;
    }
}
