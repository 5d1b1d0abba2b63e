using Microsoft.Extensions.Logging;

namespace Meridian.Database.Tests.Support;

/// <summary>Set-up steps with timestamps on stderr when MERIDIAN_DB_TEST_LOG=1 (slow-test diagnosis).</summary>
internal sealed class StderrLogger : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {formatter(state, exception)}");
}
