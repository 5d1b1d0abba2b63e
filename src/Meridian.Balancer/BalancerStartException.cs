namespace Meridian.Balancer;

/// <summary>The balancer could not start (its listen address in use, say); the message names the field and address.</summary>
public sealed class BalancerStartException(string message, Exception inner) : Exception(message, inner);
