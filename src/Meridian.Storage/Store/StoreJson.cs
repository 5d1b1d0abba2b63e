using System.Text.Json;

namespace Meridian.Storage.Store;

/// <summary>The JSON form of the metadata files (indented: they are small and meant to be readable when debugging).</summary>
internal static class StoreJson
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T? Read<T>(string path) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
