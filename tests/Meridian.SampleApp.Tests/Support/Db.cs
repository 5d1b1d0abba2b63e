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

    /// <summary>Polls until <paramref name="condition"/> holds or <paramref name="timeout"/> passes (never a fixed sleep).</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }
}
