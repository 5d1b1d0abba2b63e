namespace Meridian.Hosting;

/// <summary>Parses `--roles dns,health,control`.</summary>
public static class MeridianRoles
{
    public static readonly IReadOnlyList<string> Names = ["dns", "health", "control", "lb", "edge", "storage", "db", "all"];

    public static bool TryParse(string text, out MeridianRole roles, out string? error)
    {
        roles = MeridianRole.None;
        error = null;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case "dns":
                    roles |= MeridianRole.Dns;
                    break;
                case "health":
                    roles |= MeridianRole.Health;
                    break;
                case "control":
                    roles |= MeridianRole.Control;
                    break;
                case "lb" or "balancer":
                    roles |= MeridianRole.Balancer;
                    break;
                case "edge":
                    roles |= MeridianRole.Edge;
                    break;
                case "storage":
                    roles |= MeridianRole.Storage;
                    break;
                case "db" or "database":
                    roles |= MeridianRole.Database;
                    break;
                case "all":
                    roles |= MeridianRole.All;
                    break;
                default:
                    error = $"unknown role '{part}' (known: {string.Join(", ", Names)})";
                    return false;
            }
        }

        if (roles == MeridianRole.None)
        {
            error = "no roles given";
            return false;
        }

        return true;
    }
}
