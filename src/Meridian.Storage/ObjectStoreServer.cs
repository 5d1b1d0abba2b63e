using System.Net;
using Meridian.Storage.Auth;
using Meridian.Storage.Events;
using Meridian.Storage.Http;
using Meridian.Storage.Operations;
using Meridian.Storage.Store;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meridian.Storage;

/// <summary>
/// One region's S3-compatible object store: the files under the store's data_dir and a Kestrel listener speaking
/// the S3 REST API (path-style; virtual-host style when a host suffix is given). Buckets declared in the topology
/// are created (and versioning turned on) at start.
/// </summary>
public sealed class ObjectStoreServer : IAsyncDisposable
{
    private readonly ObjectStoreConfig _config;
    private readonly ILogger _logger;
    private readonly FileObjectStore _files;
    private readonly WebApplication _app;
    private bool _started;

    public ObjectStoreServer(ObjectStoreConfig config, IReadOnlyList<StorageCredentialConfig> credentials, TimeProvider time, ILoggerFactory loggers,
        IObjectEventSink? sink = null, string? virtualHostSuffix = null)
    {
        _config = config;
        _logger = loggers.CreateLogger("Meridian.Storage");
        _files = new FileObjectStore(config.Name, config.DataDirectory, time, _logger, sink);
        var secrets = credentials.ToDictionary(c => c.AccessKey, c => c.SecretKey, StringComparer.Ordinal);
        var handler = new S3RequestHandler(new StoreContext(_files, config.Region, _logger), new SigV4Verifier(secrets, config.Region, time), virtualHostSuffix);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(ObjectStoreServer).Assembly.GetName().Name });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var limits = kestrel.Limits;
            // Oversized request lines and headers get Kestrel's 414/431; bodies are streamed to disk, S3 caps them (5 GiB).
            limits.MaxRequestLineSize = 16 * 1024;
            limits.MaxRequestHeadersTotalSize = 64 * 1024;
            limits.MaxRequestHeaderCount = 200;
            limits.MaxRequestBodySize = null;
            limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
            kestrel.Listen(config.Listen, o => o.Protocols = HttpProtocols.Http1);
        });
        _app = builder.Build();
        _app.Run(handler.HandleAsync);
    }

    public string Name => _config.Name;

    /// <summary>The store's files, for the replicator running beside it (reads versions, sets replication status).</summary>
    internal FileObjectStore Files => _files;

    public string Region => _config.Region;

    /// <summary>The bound address (the configured one, with the real port when it was 0).</summary>
    public IPEndPoint Endpoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>The change hook (replication). Settable after construction so a replicator can be wired to a running store.</summary>
    public IObjectEventSink? EventSink
    {
        get => _files.Sink;
        set => _files.Sink = value;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _files.Open();
        foreach (var bucket in _config.Buckets)
        {
            var existing = _files.FindBucket(bucket.Name) ?? _files.CreateBucket(bucket.Name, bucket.PublicRead, bucket.Versioning);
            if (existing.Settings.PublicRead != bucket.PublicRead ||
                (bucket.Versioning && existing.Settings.Versioning != VersioningStatus.Enabled))
            {
                _files.UpdateSettings(existing, s => s with
                {
                    PublicRead = bucket.PublicRead,
                    Versioning = bucket.Versioning ? VersioningStatus.Enabled : s.Versioning,
                });
            }
        }
        try
        {
            await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"storage.stores.{_config.Name}.listen: cannot listen on {_config.Listen}: {ex.Message}", ex);
        }
        _started = true;
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Endpoint = address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri) ? new IPEndPoint(_config.Listen.Address, uri.Port) : _config.Listen;
        StorageLog.Started(_logger, _config.Name, _config.Region, Endpoint.ToString(), _files.DataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // In-flight requests cut: nothing they wrote was acknowledged.
            }
            StorageLog.Stopped(_logger, _config.Name);
        }
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
