namespace Meridian.SampleApp.Dependencies;

/// <summary>
/// A declared dependency, as written on the command line or in options: <c>tcp:host:port</c>,
/// <c>http://host:port/path</c> (or https), or <c>kind:target</c> for kinds registered later (database, bucket).
/// This is only the description; <see cref="DependencyCheckFactory"/> turns it into an <see cref="IDependencyCheck"/>.
/// </summary>
public sealed record DependencyCheck(string Kind, string Target)
{
    /// <summary>The original spelling, used as the check's name in /health.</summary>
    public string Spec => Kind is "http" or "https" ? Target : $"{Kind}:{Target}";

    public static DependencyCheck Tcp(string host, int port) => new("tcp", $"{host}:{port}");

    public static DependencyCheck Http(Uri uri) => new(uri.Scheme, uri.AbsoluteUri);

    /// <summary>Parses <c>kind:target</c>; URLs keep their whole text as the target.</summary>
    public static DependencyCheck Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = spec.Trim();
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            {
                throw new FormatException($"Dependency '{spec}': not a valid URL.");
            }

            return Http(uri);
        }

        var colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw new FormatException($"Dependency '{spec}': expected kind:target, e.g. tcp:127.0.0.1:5432 or http://host/health.");
        }

        var kind = text[..colon].ToLowerInvariant();
        var target = text[(colon + 1)..];
        if (kind == "tcp")
        {
            // Validate early so a typo fails at startup, not as a permanently red /health.
            TcpDependencyCheck.SplitHostPort(target);
        }

        return new DependencyCheck(kind, target);
    }

    public override string ToString() => Spec;
}
