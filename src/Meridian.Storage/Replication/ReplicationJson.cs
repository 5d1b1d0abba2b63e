using System.Text.Json;
using System.Text.Json.Serialization;

namespace Meridian.Storage.Replication;

internal static class ReplicationJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };
}
