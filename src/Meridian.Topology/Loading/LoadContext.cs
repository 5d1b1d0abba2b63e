using Meridian.Topology.Model;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>Collects errors and warnings for one load; every reader reports here and keeps going.</summary>
internal sealed class LoadContext(string file, string baseDirectory)
{
    private readonly List<TopologyError> _errors = [];
    private readonly List<TopologyError> _warnings = [];

    public string File { get; } = file;

    /// <summary>Folder of the topology file; relative paths inside it (maxmind_db) resolve against this.</summary>
    public string BaseDirectory { get; } = baseDirectory;

    public IReadOnlyList<TopologyError> Errors => _errors;
    public IReadOnlyList<TopologyError> Warnings => _warnings;

    public void Error(YNode node, string path, string message) => _errors.Add(new(File, node.Line, node.Column, path, message));

    public void Error(int line, int column, string path, string message) => _errors.Add(new(File, line, column, path, message));

    public void Warning(YNode node, string path, string message) => _warnings.Add(new(File, node.Line, node.Column, path, message));

    public SourceLocation Where(YNode node) => new(File, node.Line, node.Column);

    /// <summary>"line 12", or "column 30" when on the same line as <paramref name="here"/> (flow mappings).</summary>
    public static string Where(YNode first, YNode here) => first.Line == here.Line ? $"column {first.Column}" : $"line {first.Line}";

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Index(string path, int index) => $"{path}[{index}]";
}
