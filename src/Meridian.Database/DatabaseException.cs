namespace Meridian.Database;

/// <summary>A database operation failed; the message says what, where, and what to do (shown to operators as is).</summary>
public sealed class DatabaseException : Exception
{
    public DatabaseException(string message) : base(message)
    {
    }

    public DatabaseException(string message, Exception inner) : base(message, inner)
    {
    }
}
