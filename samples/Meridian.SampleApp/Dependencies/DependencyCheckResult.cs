namespace Meridian.SampleApp.Dependencies;

/// <summary>The outcome of one dependency probe, as reported in the /health body.</summary>
public sealed record DependencyCheckResult(string Name, bool Healthy, string Detail, TimeSpan Elapsed)
{
    public static DependencyCheckResult Pass(string name, string detail, TimeSpan elapsed) => new(name, true, detail, elapsed);

    public static DependencyCheckResult Fail(string name, string detail, TimeSpan elapsed) => new(name, false, detail, elapsed);
}
