using System.Collections.Frozen;
using System.Net;

namespace Meridian.SampleApp.Dependencies;

/// <summary>
/// Maps a dependency kind to the code that probes it. Immutable: <see cref="With"/> returns a copy, so later
/// parts add kinds (e.g. <c>postgres</c>, <c>s3</c>) without this project referencing Npgsql or an S3 client.
/// </summary>
public sealed class DependencyCheckFactory
{
    // One client for all http checks: a client per probe would leak sockets under frequent health polling.
    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // the caller's token carries the check timeout
    };

    private readonly FrozenDictionary<string, Func<DependencyCheck, IDependencyCheck>> _kinds;

    private DependencyCheckFactory(IDictionary<string, Func<DependencyCheck, IDependencyCheck>> kinds)
    {
        _kinds = kinds.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>tcp, http and https.</summary>
    public static DependencyCheckFactory Default { get; } = new(new Dictionary<string, Func<DependencyCheck, IDependencyCheck>>
    {
        ["tcp"] = CreateTcp,
        ["http"] = CreateHttp,
        ["https"] = CreateHttp,
    });

    public IEnumerable<string> Kinds => _kinds.Keys;

    /// <summary>A copy that also (or instead) handles <paramref name="kind"/>.</summary>
    public DependencyCheckFactory With(string kind, Func<DependencyCheck, IDependencyCheck> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(create);
        var copy = new Dictionary<string, Func<DependencyCheck, IDependencyCheck>>(_kinds, StringComparer.OrdinalIgnoreCase)
        {
            [kind] = create,
        };
        return new DependencyCheckFactory(copy);
    }

    public IDependencyCheck Create(DependencyCheck dependency)
    {
        ArgumentNullException.ThrowIfNull(dependency);
        if (!_kinds.TryGetValue(dependency.Kind, out var create))
        {
            throw new NotSupportedException(
                $"Dependency '{dependency.Spec}': unknown kind '{dependency.Kind}' (known: {string.Join(", ", _kinds.Keys.Order())}).");
        }

        return create(dependency);
    }

    private static TcpDependencyCheck CreateTcp(DependencyCheck dependency)
    {
        var (host, port) = TcpDependencyCheck.SplitHostPort(dependency.Target);
        return new TcpDependencyCheck(dependency.Spec, host, port);
    }

    private static HttpDependencyCheck CreateHttp(DependencyCheck dependency) =>
        new(dependency.Spec, new Uri(dependency.Target, UriKind.Absolute), SharedHttp);
}
