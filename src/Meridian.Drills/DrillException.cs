namespace Meridian.Drills;

/// <summary>The drill could not run (injection failed, nothing to drill); the message says what to fix.</summary>
public sealed class DrillException(string message) : Exception(message);
