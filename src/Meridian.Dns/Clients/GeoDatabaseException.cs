namespace Meridian.Dns.Clients;

/// <summary>The MaxMind database named by <c>geo.maxmind_db</c> cannot be used (unreadable, corrupt, wrong type).</summary>
public sealed class GeoDatabaseException(string message, Exception? inner = null) : Exception(message, inner);
