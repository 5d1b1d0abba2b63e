using System.Net;

namespace Meridian.Hosting.Outage;

/// <summary>
/// Something that serves a region and can be stopped and started again in place: a load balancer, an app
/// instance in the demo. The outage controller takes a whole region down through these.
/// </summary>
public interface IRegionComponent
{
    string Region { get; }

    string Name { get; }

    /// <summary>The addresses clients reach it on (where a hang-mode outage keeps accepting).</summary>
    IReadOnlyList<IPEndPoint> Endpoints { get; }

    Task StopAsync(CancellationToken token);

    Task StartAsync(CancellationToken token);
}
