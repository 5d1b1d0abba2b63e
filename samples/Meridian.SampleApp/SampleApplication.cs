using Meridian.SampleApp.Data;
using Meridian.SampleApp.Dependencies;
using Meridian.SampleApp.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meridian.SampleApp;

/// <summary>
/// Builds one instance of the sample application (the tutorial's ECS service). Used by Program for standalone
/// runs and by <c>meridian demo</c> / tests to host several instances in one process.
/// </summary>
public static class SampleApplication
{
    /// <summary>
    /// Builds (does not start) an instance. Its <see cref="SampleAppControl"/> is <see cref="SampleAppOptions.Control"/>
    /// when given, else a new one; either way it is also registered as a service (see <see cref="GetControl"/>).
    /// </summary>
    public static WebApplication Build(SampleAppOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Region);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InstanceId);
        ArgumentNullException.ThrowIfNull(options.Listen);

        // Build the probes first so a bad dependency spec fails here, not on the first /health.
        var database = options.Database is { } db ? new AppDatabase(db) : null;
        var (factory, dependencies) = WithDatabaseCheck(options, database);
        var checks = dependencies.Select(factory.Create).Concat(options.AdditionalChecks).ToList();
        var control = options.Control ?? new SampleAppControl();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(SampleApplication).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory, // independent of the host's working directory
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Listen);
        });
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        // Kestrel/hosting chatter would drown the request log when many instances share a console.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        options.ConfigureLogging?.Invoke(builder.Logging);
        if (!options.UseConsoleLifetime)
        {
            builder.Services.AddSingleton<IHostLifetime, NullHostLifetime>();
        }
        else
        {
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information); // "Now listening on"
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(control);

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>()
            .CreateLogger($"Meridian.SampleApp[{options.Region}/{options.InstanceId}]");

        RequestPipeline.Use(app, options, control, logger);
        HealthEndpoint.Map(app, options, control, new DependencyHealth(checks, options.DependencyTimeout));
        ApiEndpoints.Map(app, options, control);
        DataEndpoints.Map(app, options, database, logger);
        StaticAssetEndpoints.Map(app, options);
        AdminEndpoints.Map(app, control, logger);
        return app;
    }

    /// <summary>
    /// With a database: the <c>postgres</c> kind (a writable primary at host[:port], with the app's credentials and
    /// DNS server) and, unless declared already, a dependency on the writer itself, so /health fails without one.
    /// </summary>
    private static (DependencyCheckFactory Factory, IReadOnlyList<DependencyCheck> Dependencies) WithDatabaseCheck(
        SampleAppOptions options, AppDatabase? database)
    {
        if (database is null)
        {
            return (options.CheckFactory, options.Dependencies);
        }

        var factory = options.CheckFactory.With("postgres", dependency =>
        {
            var endpoint = DatabaseEndpoint.Parse(dependency.Target, $"dependency '{dependency.Spec}'");
            var target = endpoint == database.Options.Writer ? database : new AppDatabase(database.Options with { Writer = endpoint });
            return new PostgresDependencyCheck(dependency.Spec, target);
        });
        var writer = new DependencyCheck("postgres", database.WriterName);
        var dependencies = options.Dependencies.Any(d => d.Kind == "postgres" && d.Target == writer.Target)
            ? options.Dependencies
            : [.. options.Dependencies, writer];
        return (factory, dependencies);
    }

    /// <summary>The mode switch and counters of a built instance.</summary>
    public static SampleAppControl GetControl(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<SampleAppControl>();
    }

    /// <summary>After start: the address actually bound (resolves a port-0 listen to the real port).</summary>
    public static Uri GetBaseAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault()
            ?? throw new InvalidOperationException("The instance is not listening yet; call StartAsync first.");
        return new Uri(first.EndsWith('/') ? first : first + "/");
    }
}
