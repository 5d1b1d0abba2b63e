namespace Meridian.Cli.Tests.Support;

/// <summary>A topology YAML file in a temp folder of its own (the loader and the file watcher need a real file).</summary>
internal sealed class TopologyFile : IDisposable
{
    private TopologyFile(string directory)
    {
        Directory = directory;
        Path = System.IO.Path.Combine(directory, "topology.yaml");
    }

    public string Directory { get; }

    public string Path { get; }

    public static TopologyFile Create(string yaml)
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "meridian-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var file = new TopologyFile(directory);
        file.Write(yaml);
        return file;
    }

    /// <summary>Replaces the file's content (written to a temp file and renamed, so a watcher never sees half a file).</summary>
    public void Write(string yaml)
    {
        var temp = Path + ".tmp";
        File.WriteAllText(temp, yaml);
        File.Move(temp, Path, overwrite: true);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding the file; the temp folder is cleaned by the OS eventually.
        }
    }
}
