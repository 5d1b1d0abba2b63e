using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Meridian.Cli;

internal static class Logging
{
    public static ILoggerFactory Create(string format) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(LogLevel.Information);
        builder.AddFilter("Microsoft", LogLevel.Warning);
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
