namespace Meridian.Topology.Tests;

internal static class TestFiles
{
    public static string RepoRoot { get; } = FindRoot();

    public static string SamplePath => Path.Combine(RepoRoot, "samples", "topologies", "two-region.yaml");

    public static string SampleText => File.ReadAllText(SamplePath);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Meridian.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
