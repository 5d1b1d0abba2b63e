namespace Meridian.SampleApp.Data;

/// <summary>The database could not do what was asked; the message is the reason a client sees with the 503.</summary>
public sealed class DatabaseUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
