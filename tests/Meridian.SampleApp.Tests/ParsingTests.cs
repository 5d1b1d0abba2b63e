using System.Net;
using Meridian.SampleApp.Dependencies;

namespace Meridian.SampleApp.Tests;

public sealed class ParsingTests
{
    [Fact]
    public void Parse_FullCommandLine_BuildsOptions()
    {
        var (options, mode) = SampleAppCommandLine.Parse(
        [
            "--region", "us-east-1", "--instance", "us-1", "--listen", "127.0.0.11:9101",
            "--dependency", "tcp:127.0.0.11:5432", "--dependency", "http://127.0.0.12:8080/health",
            "--mode", "slow", "--delay-ms", "750",
        ]);

        Assert.Equal("us-east-1", options.Region);
        Assert.Equal("us-1", options.InstanceId);
        Assert.Equal(IPEndPoint.Parse("127.0.0.11:9101"), options.Listen);
        Assert.Equal([new DependencyCheck("tcp", "127.0.0.11:5432"), new DependencyCheck("http", "http://127.0.0.12:8080/health")], options.Dependencies);
        Assert.True(options.UseConsoleLifetime);
        Assert.Equal(TimeSpan.FromMilliseconds(750), mode.Delay);
    }

    [Theory]
    [InlineData("--region", "r")]
    [InlineData("--region", "r", "--instance", "i", "--listen", "nonsense")]
    [InlineData("--region", "r", "--instance", "i", "--bogus")]
    [InlineData("--region", "r", "--instance", "i", "--dependency", "tcp:host")]
    [InlineData("--region", "r", "--instance", "i", "--listen")]
    public void Parse_BadCommandLine_ThrowsFormatException(params string[] args)
    {
        Assert.Throws<FormatException>(() => SampleAppCommandLine.Parse(args));
    }

    [Theory]
    [InlineData("127.0.0.11:9101", "127.0.0.11", 9101)]
    [InlineData("[::1]:9101", "::1", 9101)]
    [InlineData("localhost:0", "127.0.0.1", 0)]
    public void ParseEndPoint_Valid_Parses(string text, string address, int port)
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), SampleAppCommandLine.ParseEndPoint(text));
    }

    [Theory]
    [InlineData("tcp:127.0.0.1:5432", "tcp", "127.0.0.1:5432")]
    [InlineData("TCP:[::1]:5432", "tcp", "[::1]:5432")]
    [InlineData("http://db:8080/health", "http", "http://db:8080/health")]
    [InlineData("postgres:Host=db;Port=5432", "postgres", "Host=db;Port=5432")]
    [InlineData("s3:assets-bucket", "s3", "assets-bucket")]
    public void ParseDependency_Valid_SplitsKindAndTarget(string spec, string kind, string target)
    {
        var dependency = DependencyCheck.Parse(spec);

        Assert.Equal(kind, dependency.Kind);
        Assert.Equal(target, dependency.Target);
    }

    [Theory]
    [InlineData("tcp:127.0.0.1")]
    [InlineData("tcp:127.0.0.1:99999")]
    [InlineData("nokind")]
    [InlineData(":x")]
    public void ParseDependency_Invalid_ThrowsFormatException(string spec)
    {
        Assert.Throws<FormatException>(() => DependencyCheck.Parse(spec));
    }

    [Fact]
    public void Create_UnknownKind_ThrowsNamingKnownKinds()
    {
        var ex = Assert.Throws<NotSupportedException>(() => DependencyCheckFactory.Default.Create(DependencyCheck.Parse("s3:bucket")));

        Assert.Contains("tcp", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("healthy", "healthy")]
    [InlineData("UNHEALTHY", "unhealthy")]
    [InlineData("error", "error")]
    [InlineData("error503", "error503")]
    [InlineData("slow,unhealthy", "unhealthy,slow")]
    public void ParseMode_Valid_RoundTripsName(string text, string name)
    {
        var mode = SampleAppMode.Parse(text);

        Assert.Equal(name, mode.Name);
        Assert.Equal(mode, SampleAppMode.Parse(mode.Name, (int)mode.Delay.TotalMilliseconds is var ms && ms > 0 ? ms : null));
    }

    [Fact]
    public void ParseMode_SlowWithoutDelay_UsesTwoSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), SampleAppMode.Parse("slow").Delay);
    }
}
