using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Meridian.Cli;

internal static class Logging
{
    public static ILoggerFactory Create(string format, LogLevel minimum = LogLevel.Information) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(minimum);
        builder.AddFilter("Microsoft", LogLevel.Warning);
        // A control API that cannot bind is reported as one "control.listen: cannot bind" line; the generic host's own
        // "Hosting failed to start" error would add a full stack trace for the same thing.
        builder.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        if (format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            builder.AddJsonConsole(o => o.TimestampFormat = "O");
        }
        else
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    });
}
