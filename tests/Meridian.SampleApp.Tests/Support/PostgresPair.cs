using System.Net;
using Meridian.Testing;

namespace Meridian.SampleApp.Tests.Support;

/// <summary>A real primary and its streaming standby, shared by a test class that does not change their roles.</summary>
public sealed class PostgresPair : IAsyncLifetime
{
    public PostgresTestServer Primary { get; private set; } = null!;

    public PostgresTestServer Standby { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Primary = await PostgresTestServer.StartPrimaryAsync(IPAddress.Parse("127.0.8.1"));
        Standby = await PostgresTestServer.StartStandbyAsync(Primary, IPAddress.Parse("127.0.8.2"));
    }

    public async Task DisposeAsync()
    {
        await Standby.DisposeAsync();
        await Primary.DisposeAsync();
    }
}
