using System.Text.Json;

namespace Meridian.Drills.Data;

/// <summary>
/// Reads the replicas' lag out of the control API's database status (GET /v1/db/status: clusters with members, each
/// with its <c>lag</c> as the primary's pg_stat_replication reports it). Lenient: fields it does not know are
/// ignored, and a status without lag figures gives an empty list.
/// </summary>
public static class DatabaseStatusLag
{
    public static IReadOnlyList<ReplicaLag> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var lags = new List<ReplicaLag>();
        Visit(document.RootElement, lags);
        return lags;
    }

    private static void Visit(JsonElement element, List<ReplicaLag> lags)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Visit(item, lags);
                }

                break;
            case JsonValueKind.Object:
                if (Get(element, "members") is { ValueKind: JsonValueKind.Array } members)
                {
                    foreach (var member in members.EnumerateArray())
                    {
                        if (member.ValueKind == JsonValueKind.Object && Get(member, "lag") is { ValueKind: JsonValueKind.Object } lag)
                        {
                            lags.Add(new ReplicaLag(
                                Get(member, "name")?.ToString() ?? "?",
                                Get(member, "region")?.ToString(),
                                Get(lag, "replayLagBytes") is { ValueKind: JsonValueKind.Number } b ? b.GetInt64() : null,
                                Get(lag, "replayLagSeconds") is { ValueKind: JsonValueKind.Number } s ? s.GetDouble() : null));
                        }
                    }

                    return;
                }

                foreach (var property in element.EnumerateObject())
                {
                    Visit(property.Value, lags);
                }

                break;
        }
    }

    private static JsonElement? Get(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
