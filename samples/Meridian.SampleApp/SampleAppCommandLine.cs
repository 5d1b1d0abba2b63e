using System.Globalization;
using System.Net;
using Meridian.SampleApp.Dependencies;

namespace Meridian.SampleApp;

/// <summary>
/// Parses <c>--region R --instance I --listen host:port [--dependency spec ...] [--mode M]
/// [--dependency-timeout-ms N]</c>. Hand-rolled: five flags do not justify a parser dependency.
/// </summary>
internal static class SampleAppCommandLine
{
    public const string Usage =
        "usage: Meridian.SampleApp --region us-east-1 --instance us-1 --listen 127.0.0.11:9101 " +
        "[--dependency tcp:127.0.0.11:5432 | --dependency http://host/health ...] [--mode healthy|unhealthy|slow|error] " +
        "[--delay-ms 2000] [--dependency-timeout-ms 2000]";

    public static (SampleAppOptions Options, SampleAppMode Mode) Parse(IReadOnlyList<string> args)
    {
        string? region = null, instance = null, mode = null;
        int? delayMs = null;
        var listen = new IPEndPoint(IPAddress.Loopback, 8080);
        var dependencies = new List<DependencyCheck>();
        var timeout = TimeSpan.FromSeconds(2);

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
                default: throw new FormatException($"Unknown argument '{flag}'.");
            }
        }

        if (string.IsNullOrWhiteSpace(region) || string.IsNullOrWhiteSpace(instance))
        {
            throw new FormatException("--region and --instance are required.");
        }

        var options = new SampleAppOptions
        {
            Region = region,
            InstanceId = instance,
            Listen = listen,
            Dependencies = dependencies,
            DependencyTimeout = timeout,
            UseConsoleLifetime = true,
        };
        return (options, mode is null ? SampleAppMode.Healthy : SampleAppMode.Parse(mode, delayMs));
    }

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
