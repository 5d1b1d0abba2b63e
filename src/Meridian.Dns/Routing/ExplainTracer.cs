namespace Meridian.Dns.Routing;

/// <summary>Collects explain steps as indented lines.</summary>
public sealed class ExplainTracer : IResolveTracer
{
    private readonly List<ExplainStep> _steps = [];

    public IReadOnlyList<ExplainStep> Steps => _steps;

    public void Step(int depth, string message) => _steps.Add(new ExplainStep(depth, message));
}

public sealed record ExplainStep(int Depth, string Message)
{
    public override string ToString() => new string(' ', Depth * 2) + Message;
}
