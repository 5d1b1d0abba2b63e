using System.Globalization;
using System.Net;
using Meridian.SampleApp.Data;
using Meridian.SampleApp.Dependencies;

namespace Meridian.SampleApp;

/// <summary>
/// Parses <c>--region R --instance I --listen host:port [--dependency spec ...] [--mode M]
/// [--dependency-timeout-ms N] [--db-writer host[:port] --db-reader host[:port] --db-user U --db-password P
/// --db-name D --dns ip:port]</c>. Hand-rolled: a dozen flags do not justify a parser dependency.
/// </summary>
internal static class SampleAppCommandLine
{
    public const string Usage =
        "usage: Meridian.SampleApp --region us-east-1 --instance us-1 --listen 127.0.0.11:9101 " +
        "[--dependency tcp:127.0.0.11:5432 | --dependency http://host/health ...] [--mode healthy|unhealthy|slow|error] " +
        "[--delay-ms 2000] [--dependency-timeout-ms 2000] " +
        "[--db-writer db-writer.mydomain.test[:5432] [--db-reader db-reader.mydomain.test[:5432]] [--db-user meridian] " +
        "[--db-password meridian] [--db-name app] [--dns 127.0.0.1:5353]]";

    public static (SampleAppOptions Options, SampleAppMode Mode) Parse(IReadOnlyList<string> args)
    {
        string? region = null, instance = null, mode = null;
        int? delayMs = null;
        var listen = new IPEndPoint(IPAddress.Loopback, 8080);
        var dependencies = new List<DependencyCheck>();
        var timeout = TimeSpan.FromSeconds(2);
        string? dbWriter = null, dbReader = null, dbUser = null, dbPassword = null, dbName = null, dns = null;

        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{flag} needs a value.");
            switch (flag)
            {
                case "--region": region = Value(); break;
                case "--instance": instance = Value(); break;
                case "--listen": listen = ParseEndPoint(Value()); break;
                case "--dependency": dependencies.Add(DependencyCheck.Parse(Value())); break;
                case "--mode": mode = Value(); break;
                case "--delay-ms": delayMs = ParseInt(flag, Value()); break;
                case "--dependency-timeout-ms": timeout = TimeSpan.FromMilliseconds(ParseInt(flag, Value())); break;
                case "--db-writer": dbWriter = Value(); break;
                case "--db-reader": dbReader = Value(); break;
                case "--db-user": dbUser = Value(); break;
                case "--db-password": dbPassword = Value(); break;
                case "--db-name": dbName = Value(); break;
                case "--dns": dns = Value(); break;
                default: throw new FormatException($"Unknown argument '{flag}'.");
            }
        }

        if (string.IsNullOrWhiteSpace(region) || string.IsNullOrWhiteSpace(instance))
        {
            throw new FormatException("--region and --instance are required.");
        }

        var database = ParseDatabase(dbWriter, dbReader, dbUser, dbPassword, dbName, dns);
        var options = new SampleAppOptions
        {
            Database = database,
            Region = region,
            InstanceId = instance,
            Listen = listen,
            Dependencies = dependencies,
            DependencyTimeout = timeout,
            UseConsoleLifetime = true,
        };
        return (options, mode is null ? SampleAppMode.Healthy : SampleAppMode.Parse(mode, delayMs));
    }

    private static DatabaseOptions? ParseDatabase(string? writer, string? reader, string? user, string? password, string? name, string? dns)
    {
        if (writer is null)
        {
            if ((reader ?? user ?? password ?? name ?? dns) is not null)
            {
                throw new FormatException("--db-reader, --db-user, --db-password, --db-name and --dns need --db-writer.");
            }

            return null;
        }

        var defaults = new DatabaseOptions { Writer = DatabaseEndpoint.Parse(writer, "--db-writer") };
        var options = defaults with
        {
            Reader = reader is null ? null : DatabaseEndpoint.Parse(reader, "--db-reader"),
            User = user ?? defaults.User,
            Password = password ?? defaults.Password,
            Database = name ?? defaults.Database,
            Dns = dns is null ? null : ParseDnsServer(dns),
        };
        options.Validate();
        return options;
    }

    private static IPEndPoint ParseDnsServer(string text) =>
        IPEndPoint.TryParse(text, out var endPoint) && endPoint.Port != 0 && text.Contains(':')
            ? endPoint
            : throw new FormatException($"--dns '{text}': expected the DNS server's ip:port, e.g. 127.0.0.1:5353.");

    /// <summary>Accepts 127.0.0.11:9101, [::1]:9101 and localhost:9101.</summary>
    public static IPEndPoint ParseEndPoint(string text)
    {
        const string localhost = "localhost:";
        if (text.StartsWith(localhost, StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, ParseInt("--listen", text[localhost.Length..]));
        }

        if (!IPEndPoint.TryParse(text, out var endPoint) || text.LastIndexOf(':') < text.LastIndexOf(']') || !text.Contains(':'))
        {
            throw new FormatException($"--listen '{text}': expected ip:port, e.g. 127.0.0.11:9101.");
        }

        return endPoint;
    }

    private static int ParseInt(string flag, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new FormatException($"{flag} '{value}': expected a non-negative integer.");
}
