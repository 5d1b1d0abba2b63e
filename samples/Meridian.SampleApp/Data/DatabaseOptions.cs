using System.Net;

namespace Meridian.SampleApp.Data;

/// <summary>
/// The app's PostgreSQL: writes go to <see cref="Writer"/> (the <c>db-writer</c> name: the current primary only),
/// reads to <see cref="Reader"/> (<c>db-reader</c>: the nearest healthy member). Names are resolved through
/// <see cref="Dns"/> (Meridian's DNS server), never the OS resolver, on each new connection so a failover's new
/// answer is used at once.
/// </summary>
public sealed record DatabaseOptions
{
    public required DatabaseEndpoint Writer { get; init; }

    /// <summary>Null: reads go to the writer too.</summary>
    public DatabaseEndpoint? Reader { get; init; }

    public string User { get; init; } = "meridian";

    public string Password { get; init; } = "meridian";

    public string Database { get; init; } = "app";

    /// <summary>The DNS server for names that are not IP addresses (the demo: 127.0.0.1:5353). Required for names.</summary>
    public IPEndPoint? Dns { get; init; }

    /// <summary>Connect (and DNS) timeout: short, so a dead primary costs a request little and /health stays fast.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Fails fast on a configuration that could never connect (a name with no DNS server to ask).</summary>
    public void Validate()
    {
        foreach (var endpoint in new[] { Writer, Reader })
        {
            if (endpoint is { Address: null } && Dns is null)
            {
                throw new FormatException(
                    $"database host '{endpoint.Host}' is a name: give --dns ip:port (Meridian's DNS server, e.g. 127.0.0.1:5353) to resolve it, or use an IP address.");
            }
        }

        if (string.IsNullOrEmpty(User) || string.IsNullOrEmpty(Database))
        {
            throw new FormatException("--db-user and --db-name must not be empty.");
        }
    }
}
