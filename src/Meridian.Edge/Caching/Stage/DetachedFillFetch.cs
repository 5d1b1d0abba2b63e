using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Caching;

/// <summary>
/// The origin fetch of a fill outlives its viewer once the body is being stored: the filler's disconnect then no longer
/// cancels it (YARP follows <see cref="HttpContext.RequestAborted"/>, which is swapped for this scope's token), so the
/// viewers collapsed on the fill get the whole object and it is stored — Varnish finishes a fetch it stores the same
/// way. Before the fill starts, or when the answer is not stored, the viewer's disconnect cancels the fetch as before.
/// The fetch stays bounded by the origin's response and activity timeouts.
/// </summary>
internal sealed class DetachedFillFetch : IDisposable
{
    private readonly HttpContext _http;
    private readonly CancellationToken _viewerAborted;
    private readonly Func<bool> _storing;
    private readonly CancellationTokenSource _fetch = new();
    private readonly CancellationTokenRegistration _registration;

    /// <param name="storing">True while the origin's body is being kept by the fill.</param>
    public DetachedFillFetch(HttpContext http, Func<bool> storing)
    {
        _http = http;
        _storing = storing;
        _viewerAborted = http.RequestAborted;
        http.RequestAborted = _fetch.Token;
        // Runs at once when the viewer is already gone (nothing is being stored yet: the fetch is cancelled).
        _registration = _viewerAborted.UnsafeRegister(static state => ((DetachedFillFetch)state!).OnViewerAborted(), this);
    }

    /// <summary>The fill stopped keeping the body (too large): a viewer that already left no longer needs the fetch.</summary>
    public void FillDropped()
    {
        if (_viewerAborted.IsCancellationRequested)
        {
            _fetch.Cancel();
        }
    }

    private void OnViewerAborted()
    {
        if (!_storing())
        {
            _fetch.Cancel();
        }
    }

    public void Dispose()
    {
        _registration.Dispose();
        _http.RequestAborted = _viewerAborted;
        _fetch.Dispose();
    }
}
