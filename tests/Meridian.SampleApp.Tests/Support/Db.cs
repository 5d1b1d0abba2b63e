using System.Globalization;
using System.Net;
using Meridian.SampleApp.Data;
using Meridian.Testing;

namespace Meridian.SampleApp.Tests.Support;

internal static class Db
{
    /// <summary>The fixture's servers trust loopback as postgres/postgres.</summary>
    public static DatabaseOptions Options(PostgresTestServer writer, PostgresTestServer? reader = null) => new()
    {
        Writer = Endpoint(writer),
        Reader = reader is null ? null : Endpoint(reader),
        User = "postgres",
        Password = "unused",
        Database = "postgres",
    };

    public static DatabaseEndpoint Endpoint(PostgresTestServer server) =>
        new(server.Address.ToString(), server.Port);

    public static string Text(IPAddress address, int port) => $"{address}:{port.ToString(CultureInfo.InvariantCulture)}";

}
