using Meridian.Cli.Tests.Support;
using Xunit.Abstractions;

namespace Meridian.Cli.Tests.Cli;

/// <summary>`meridian validate` as a process: the sample is valid; a broken file gets every error with its location.</summary>
public sealed class ValidateCommandTests(ITestOutputHelper output)
{
    private const string Broken = """
        regions:
          us-east-1: { address: 127.0.0.11, continent: NA, country: US }

        health_checks:
          app-check:
            type: http
            target: 127.0.0.1:8080
            path: /health
            intervl: 1s

        latency:
          - { network: 81.2.69.0/33, rtt: { us-east-1: 85 } }

        zones:
          mydomain.test:
            soa: { primary_ns: ns1.mydomain.test, hostmaster: hostmaster.mydomain.test, minimum: 60 }
            name_servers: [ns1.mydomain.test]
            records:
              - { name: ns1, type: A, ttl: 3600, values: [127.0.0.1] }
              - { name: app, type: A, ttl: 5, values: [127.0.0.11], health_check: app-chek }
              - { name: w, type: A, ttl: 5, set_id: a, routing: { weighted: 300 }, values: [127.0.0.11] }
        """;

    [Fact]
    public async Task Validate_Sample_Exit0()
    {
        var result = await CliProcess.RunAsync("validate", RepositoryFiles.TwoRegionSample);
        output.WriteLine(result.ToString());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("valid", result.Stdout);
        Assert.DoesNotContain("error", result.Stderr);
    }

    [Fact]
    public async Task Validate_FileWithSeveralErrors_Exit2ListingEveryErrorWithLocationAndField()
    {
        using var file = TopologyFile.Create(Broken);

        var result = await CliProcess.RunAsync("validate", file.Path);
        output.WriteLine(result.ToString());

        Assert.Equal(2, result.ExitCode);
        var lines = Broken.Split('\n');
        string At(string text) =>
            $"{file.Path}:{Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal)) + 1}:";
        AssertError(result.Stderr, At("intervl"), "health_checks.app-check.intervl", "did you mean 'interval'");
        AssertError(result.Stderr, At("81.2.69.0/33"), "latency[0].network", "33");
        AssertError(result.Stderr, At("app-chek"), "zones.mydomain.test.records[1].health_check", "did you mean 'app-check'");
        AssertError(result.Stderr, At("weighted: 300"), "zones.mydomain.test.records[2].routing.weighted", "300");
        Assert.Contains("4 error(s)", result.Stderr);
    }

    [Fact]
    public async Task Validate_MissingFile_Exit2NamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"meridian-missing-{Guid.NewGuid():N}.yaml");

        var result = await CliProcess.RunAsync("validate", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(path, result.Stderr);
    }

    /// <summary>One stderr line has the location prefix, a column, the field path and the message fragment.</summary>
    private static void AssertError(string stderr, string fileAndLine, string field, string fragment)
    {
        var line = stderr.Split('\n').FirstOrDefault(l => l.Contains(fileAndLine, StringComparison.Ordinal) && l.Contains(field, StringComparison.Ordinal));
        Assert.True(line is not null, $"no error at {fileAndLine} for {field} in:\n{stderr}");
        Assert.Matches(@"^error: .+:\d+:\d+: ", line);
        Assert.Contains(fileAndLine, line);
        Assert.Contains(fragment, line);
    }
}
