using Meridian.Storage.Store;
using Microsoft.Extensions.Logging;

namespace Meridian.Storage.Operations;

/// <summary>What every operation needs: the files, the region it answers for, a logger.</summary>
internal sealed record StoreContext(FileObjectStore Files, string Region, ILogger Logger);
