namespace Meridian.SampleApp.Data;

/// <summary>One row of <c>items</c>: what was posted and who wrote it.</summary>
internal sealed record StoredItem(long Id, string Body, string ContentType, string Region, string Instance, DateTimeOffset CreatedAt);
