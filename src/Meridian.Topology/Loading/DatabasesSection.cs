using System.Net;
using System.Text.RegularExpressions;
using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>
/// <c>databases: { name: { database, credentials, failover, bin_dir, adopt, members: { name: { role, region, listen,
/// data_dir, synchronous } } } }</c> — PostgreSQL clusters: exactly one member with <c>role: primary</c>, the others
/// replicas (in the primary's region: a standby, like RDS Multi-AZ; elsewhere: a cross-region read replica).
/// </summary>
internal sealed partial class DatabasesSection : ITopologySection
{
    private static readonly string[] Keys = ["database", "credentials", "failover", "bin_dir", "adopt", "members"];
    private static readonly string[] MemberKeys = ["role", "region", "listen", "data_dir", "synchronous"];
    private static readonly string[] CredentialKeys = ["user", "password", "replication_user", "replication_password"];
    private static readonly string[] FailoverKeys = ["max_lag_on_failover", "unhealthy_for", "check_interval", "automatic"];

    private static readonly Dictionary<string, DatabaseMemberRole> Roles = new()
    {
        ["primary"] = DatabaseMemberRole.Primary,
        ["replica"] = DatabaseMemberRole.Replica,
    };

    /// <summary>PostgreSQL identifiers Meridian writes unquoted: lower case, at most 63 bytes.</summary>
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();

    /// <summary>Passwords go into conninfo strings and postgresql.conf: printable, no quotes, backslashes or spaces.</summary>
    [GeneratedRegex(@"^[!#-&(-\[\]-~]{1,100}$")]
    private static partial Regex Password();

    public string Key => "databases";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        var clusters = new List<DatabaseClusterConfig>();
        var claims = ListenClaims.Existing(builder);
        var dataDirs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in NamedEntries.Read(ctx, node, Key))
        {
            if (YamlReader.AsMapping(ctx, entry.Value, entry.Path) is not { } m)
            {
                continue;
            }
            var map = new MapReader(ctx, m, entry.Path, Keys);
            var adopt = map.Bool("adopt") ?? false;
            var members = ReadMembers(map, builder, claims, dataDirs, adopt);
            var binDir = map.String("bin_dir") is { Length: > 0 } raw ? Path.GetFullPath(raw, ctx.BaseDirectory) : null;
            clusters.Add(new DatabaseClusterConfig
            {
                Name = entry.Name,
                Members = members,
                Database = IdentifierOf(map, "database") ?? "app",
                Credentials = map.Map("credentials", CredentialKeys) is { } c ? ReadCredentials(c) : DatabaseCredentials.Default,
                Failover = map.Map("failover", FailoverKeys) is { } f ? ReadFailover(f) : DatabaseFailoverConfig.Default,
                BinDir = binDir,
                Adopt = adopt,
                Location = ctx.Where(entry.KeyNode),
            });
        }
        builder.Listeners.AddRange(claims.Where(c => c.Field.StartsWith(Key + ".", StringComparison.Ordinal)));
        builder.Config = builder.Config with { Databases = clusters };
    }

    private static List<DatabaseMemberConfig> ReadMembers(MapReader map, TopologyBuilder builder, List<ListenClaim> claims,
        Dictionary<string, string> dataDirs, bool adopt)
    {
        var ctx = map.Context;
        var members = new List<DatabaseMemberConfig>();
        if (map.Required("members") is not { } membersNode)
        {
            return members;
        }
        var entries = NamedEntries.Read(ctx, membersNode, map.PathOf("members"));
        foreach (var entry in entries)
        {
            if (!Identifier().IsMatch(entry.Name))
            {
                // The name is the replication slot and application_name: a PostgreSQL identifier.
                ctx.Error(entry.KeyNode, entry.Path, $"member name '{entry.Name}' must be lower case letters, digits and _ (it names the replication slot)");
            }
            if (YamlReader.AsMapping(ctx, entry.Value, entry.Path) is not { } m)
            {
                continue;
            }
            var member = new MapReader(ctx, m, entry.Path, MemberKeys);
            var role = member.Enum("role", Roles) ?? DatabaseMemberRole.Replica;
            var synchronous = member.Bool("synchronous") ?? false;
            if (synchronous && role == DatabaseMemberRole.Primary)
            {
                ctx.Error(member.Get("synchronous")!, member.PathOf("synchronous"), "a primary cannot be a synchronous standby; put synchronous: true on a replica");
            }
            var region = ReadRegion(member, builder);
            var listen = ReadListen(member, claims);
            var dataDir = ReadDataDir(member, dataDirs, adopt);
            if (region is null || listen is null || dataDir is null)
            {
                continue;
            }
            members.Add(new DatabaseMemberConfig
            {
                Name = entry.Name,
                Region = region,
                Listen = listen,
                DataDir = dataDir,
                InitialRole = role,
                Synchronous = synchronous,
                Location = ctx.Where(entry.KeyNode),
            });
        }
        var primaries = members.Where(m => m.InitialRole == DatabaseMemberRole.Primary).ToList();
        if (entries.Count > 0 && primaries.Count != 1)
        {
            ctx.Error(membersNode, map.PathOf("members"), primaries.Count == 0
                ? "no member has role: primary; exactly one must"
                : $"{primaries.Count} members have role: primary ({string.Join(", ", primaries.Select(p => p.Name))}); exactly one must");
        }
        else if (entries.Count == 0)
        {
            ctx.Error(membersNode, map.PathOf("members"), "a cluster with no members: declare at least the primary");
        }
        return members;
    }

    private static string? ReadRegion(MapReader map, TopologyBuilder builder)
    {
        if (map.RequiredString("region") is not { } region)
        {
            return null;
        }
        if (!builder.HasRegion(region))
        {
            var names = builder.Config.Regions.Select(r => r.Name).ToList();
            map.Context.Error(map.Get("region")!, map.PathOf("region"),
                $"unknown region '{region}'{(names.Count == 0 ? "; no regions are declared" : Suggestions.Hint(region, names))}");
            return null;
        }
        return region;
    }

    private static IPEndPoint? ReadListen(MapReader map, List<ListenClaim> claims)
    {
        if (map.RequiredString("listen") is not { } text)
        {
            return null;
        }
        var node = map.Get("listen")!;
        if (Addresses.TryParseEndpoint(text.Trim(), out var endpoint) is { } error)
        {
            map.Context.Error(node, map.PathOf("listen"), error);
            return null;
        }
        if (endpoint.Port == 0 || endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any))
        {
            // Replicas and clients connect to this address: it must be one specific address and port.
            map.Context.Error(node, map.PathOf("listen"), $"a database member needs a specific address and port, found {text}");
            return null;
        }
        ListenClaims.TryClaim(map.Context, claims, endpoint, node, map.PathOf("listen"));
        return endpoint;
    }

    private static string? ReadDataDir(MapReader map, Dictionary<string, string> dataDirs, bool adopt)
    {
        if ((adopt ? map.String("data_dir") : map.RequiredString("data_dir")) is not { } raw)
        {
            return adopt ? "" : null;
        }
        string full;
        try
        {
            full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(raw, map.Context.BaseDirectory));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            map.Context.Error(map.Get("data_dir")!, map.PathOf("data_dir"), $"not a valid path: {ex.Message}");
            return null;
        }
        if (dataDirs.TryGetValue(full, out var other))
        {
            map.Context.Error(map.Get("data_dir")!, map.PathOf("data_dir"), $"data directory {full} is already used by {other}");
            return null;
        }
        dataDirs[full] = map.PathOf("data_dir");
        return full;
    }

    private static DatabaseCredentials ReadCredentials(MapReader map)
    {
        var d = DatabaseCredentials.Default;
        return new DatabaseCredentials(
            IdentifierOf(map, "user") ?? d.User,
            PasswordOf(map, "password") ?? d.Password,
            IdentifierOf(map, "replication_user") ?? d.ReplicationUser,
            PasswordOf(map, "replication_password") ?? d.ReplicationPassword);
    }

    private static DatabaseFailoverConfig ReadFailover(MapReader map)
    {
        var d = DatabaseFailoverConfig.Default;
        return new DatabaseFailoverConfig
        {
            MaxLagOnFailover = map.ByteSize("max_lag_on_failover", 0) ?? d.MaxLagOnFailover,
            UnhealthyFor = map.Duration("unhealthy_for", TimeSpan.Zero, minExclusive: true) ?? d.UnhealthyFor,
            CheckInterval = map.Duration("check_interval", TimeSpan.FromMilliseconds(100), minExclusive: false) ?? d.CheckInterval,
            Automatic = map.Bool("automatic") ?? d.Automatic,
        };
    }

    private static string? IdentifierOf(MapReader map, string key)
    {
        if (map.String(key) is not { } text)
        {
            return null;
        }
        if (Identifier().IsMatch(text))
        {
            return text;
        }
        map.Context.Error(map.Get(key)!, map.PathOf(key), $"'{text}' is not a plain PostgreSQL name (lower case letters, digits and _, at most 63)");
        return null;
    }

    private static string? PasswordOf(MapReader map, string key)
    {
        if (map.String(key) is not { } text)
        {
            return null;
        }
        if (Password().IsMatch(text))
        {
            return text;
        }
        map.Context.Error(map.Get(key)!, map.PathOf(key), "a password must be 1 to 100 printable characters without spaces, quotes or backslashes");
        return null;
    }
}
