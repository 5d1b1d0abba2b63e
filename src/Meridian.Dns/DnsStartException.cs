namespace Meridian.Dns;

/// <summary>The DNS server could not start (an address in use, say); the message names the field and address.</summary>
public sealed class DnsStartException(string message, Exception inner) : Exception(message, inner);
