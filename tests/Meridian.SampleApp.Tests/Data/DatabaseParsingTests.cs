using System.Net;
using Meridian.SampleApp.Data;

namespace Meridian.SampleApp.Tests.Data;

public sealed class DatabaseParsingTests
{
    [Fact]
    public void Parse_DatabaseFlags_BuildsDatabaseOptions()
    {
        var (options, _) = SampleAppCommandLine.Parse(
        [
            "--region", "us-east-1", "--instance", "us-1",
            "--db-writer", "db-writer.mydomain.test", "--db-reader", "db-reader.mydomain.test:6432",
            "--db-user", "app_user", "--db-password", "s3cret", "--db-name", "shop", "--dns", "127.0.0.1:5353",
        ]);

        var db = Assert.IsType<DatabaseOptions>(options.Database);
        Assert.Equal(new DatabaseEndpoint("db-writer.mydomain.test", 5432), db.Writer);
        Assert.Equal(new DatabaseEndpoint("db-reader.mydomain.test", 6432), db.Reader);
        Assert.Equal("app_user", db.User);
        Assert.Equal("s3cret", db.Password);
        Assert.Equal("shop", db.Database);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5353"), db.Dns);
    }

    [Fact]
    public void Parse_NoDatabaseFlags_NoDatabase()
    {
        var (options, _) = SampleAppCommandLine.Parse(["--region", "r", "--instance", "i"]);

        Assert.Null(options.Database);
    }

    [Theory]
    [InlineData("--db-writer", "db-writer.mydomain.test")]            // a name with no --dns to resolve it
    [InlineData("--db-writer", "127.0.0.1:0")]
    [InlineData("--db-writer", "127.0.0.1:70000")]
    [InlineData("--db-writer", "")]
    [InlineData("--dns", "127.0.0.1:5353")]                           // --dns without --db-writer
    public void Parse_BadDatabaseFlags_Throws(string flag, string value)
    {
        Assert.Throws<FormatException>(() => SampleAppCommandLine.Parse(["--region", "r", "--instance", "i", flag, value]));
    }

    [Fact]
    public void Parse_DnsNotAnEndpoint_Throws()
    {
        var ex = Assert.Throws<FormatException>(() => SampleAppCommandLine.Parse(
            ["--region", "r", "--instance", "i", "--db-writer", "10.0.0.1", "--dns", "resolver.example"]));
        Assert.Contains("--dns", ex.Message);
    }

    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5", 5432)]
    [InlineData("10.0.0.5:6432", "10.0.0.5", 6432)]
    [InlineData("[::1]:6432", "::1", 6432)]
    [InlineData("::1", "::1", 5432)]
    [InlineData("db-writer.mydomain.test:5433", "db-writer.mydomain.test", 5433)]
    public void DatabaseEndpointParse_Forms_SplitHostAndPort(string text, string host, int port)
    {
        Assert.Equal(new DatabaseEndpoint(host, port), DatabaseEndpoint.Parse(text));
    }
}
