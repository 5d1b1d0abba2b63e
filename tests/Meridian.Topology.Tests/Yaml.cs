namespace Meridian.Topology.Tests;

/// <summary>Helpers to load small inline topologies and assert on errors.</summary>
internal static class Yaml
{
    public const string File = "test.yaml";

    /// <summary>A minimal valid zone header; append record lines indented by 6 spaces.</summary>
    public const string ZoneHeader = """
        regions:
          us-east-1: { address: 127.0.0.11 }
          eu-west-1: { address: 127.0.0.12 }
        health_checks:
          hc1: { type: http, target: 127.0.0.11:8080 }
        zones:
          mydomain.test:
            soa: { primary_ns: ns1.mydomain.test, hostmaster: hostmaster.mydomain.test }
            records:

        """;

    public static TopologyLoadResult Load(string yaml) => TopologyLoader.LoadFromText(yaml, File);

    public static TopologyLoadResult Records(params string[] lines) =>
        Load(ZoneHeader + string.Join("\n", lines.Select(l => "      " + l)) + "\n");

    /// <summary>Line number of record line <paramref name="index"/> in a <see cref="Records"/> document.</summary>
    public static int RecordLine(int index) => ZoneHeader.Split('\n').Length + index;

    public static TopologyError Single(TopologyLoadResult result, string fieldPath)
    {
        var matches = result.Errors.Where(e => e.FieldPath == fieldPath).ToList();
        Assert.True(matches.Count == 1, $"expected one error at {fieldPath}, got:\n{string.Join("\n", result.Errors)}");
        return matches[0];
    }

    public static TopologyError Has(TopologyLoadResult result, string fieldPath, string messagePart)
    {
        var match = result.Errors.FirstOrDefault(e => e.FieldPath == fieldPath && e.Message.Contains(messagePart, StringComparison.Ordinal));
        Assert.True(match is not null, $"expected error at {fieldPath} containing '{messagePart}', got:\n{string.Join("\n", result.Errors)}");
        return match!;
    }

    public static void NoErrors(TopologyLoadResult result) =>
        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
}
