using Microsoft.Net.Http.Headers;

namespace Meridian.SampleApp.Assets;

/// <summary>One immutable asset held in memory with its validators precomputed.</summary>
internal sealed record StaticAsset(string Name, string ContentType, ReadOnlyMemory<byte> Content, EntityTagHeaderValue ETag);
