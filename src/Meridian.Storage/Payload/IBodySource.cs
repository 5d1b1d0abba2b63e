namespace Meridian.Storage.Payload;

/// <summary>The object bytes of a request body, however they were framed.</summary>
internal interface IBodySource
{
    /// <summary>0 at the end of the object data (framing and signatures verified by then).</summary>
    ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken token);

    /// <summary>Trailing headers (aws-chunked trailers), lowercase names; empty for plain bodies.</summary>
    IReadOnlyDictionary<string, string> Trailers { get; }
}
