namespace Meridian.Storage.Payload;

/// <summary>An unframed body (Content-Length bytes of object data).</summary>
internal sealed class PlainBodySource(Stream body) : IBodySource
{
    public IReadOnlyDictionary<string, string> Trailers { get; } = new Dictionary<string, string>();

    public ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken token) => body.ReadAsync(destination, token);
}
