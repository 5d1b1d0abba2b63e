namespace Meridian.Cli.Tests.Support;

/// <summary>Files of the repository (samples), found by walking up from the test assembly to Meridian.slnx.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string TwoRegionSample => Path.Combine(Root, "samples", "topologies", "two-region.yaml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Meridian.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Meridian.slnx not found above {AppContext.BaseDirectory}");
    }
}
