using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Caching;

public enum ViewerAction
{
    /// <summary>Serve the request.</summary>
    Continue,
    /// <summary>301 to the same URL over HTTPS.</summary>
    RedirectToHttps,
    /// <summary>403: the behaviour is HTTPS-only (or redirect-to-HTTPS for a method CloudFront does not redirect).</summary>
    HttpsRequired,
    /// <summary>403: the method is not in the behaviour's allowed methods.</summary>
    MethodNotAllowed,
    /// <summary>403: a GET with a body ("If a viewer GET request includes a body, CloudFront returns an HTTP status code 403").</summary>
    GetWithBody,
}

/// <param name="Action">What to do.</param>
/// <param name="StatusCode">200 to continue, else the status to answer (301 or 403).</param>
/// <param name="Location">The Location of a redirect, else null.</param>
public readonly record struct ViewerDecision(ViewerAction Action, int StatusCode, string? Location)
{
    public static readonly ViewerDecision Continue = new(ViewerAction.Continue, StatusCodes.Status200OK, null);
}

/// <summary>
/// A behaviour's viewer protocol policy and allowed methods, CloudFront's way.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Allowed methods: GET, HEAD / + OPTIONS / + PUT, POST, PATCH, DELETE. Anything else is answered 403 (CloudFront
///   answers 403 for a method the behaviour does not allow). Checked first: a disallowed method is refused whatever the
///   scheme.</item>
/// <item>Redirect HTTP to HTTPS: GET and HEAD get 301 with the same host, path and query over https (CloudFront:
///   "CloudFront returns HTTP status code 301 (Moved Permanently) along with the new HTTPS URL"); CloudFront "doesn't
///   redirect DELETE, OPTIONS, PATCH, POST, or PUT requests from HTTP to HTTPS" and answers them 403.</item>
/// <item>HTTPS only: HTTP requests get 403.</item>
/// <item>A GET with a body gets 403 ("Request and response behavior for custom origins": "If a viewer GET request
///   includes a body, CloudFront returns an HTTP status code 403 (Forbidden)").</item>
/// </list>
/// </remarks>
public static class ViewerPolicy
{
    /// <param name="scheme">"http" or "https" (the viewer connection).</param>
    /// <param name="method">Request method.</param>
    /// <param name="behavior">The matched behaviour.</param>
    /// <param name="host">The viewer's Host (for the redirect); a port is replaced by <paramref name="httpsPort"/>.</param>
    /// <param name="pathAndQuery">The request path and query as received (for the redirect), e.g. "/a/b?x=1".</param>
    /// <param name="httpsPort">The HTTPS port in the redirect; null or 443 for none.</param>
    /// <param name="hasBody">True when the request has a body (Content-Length &gt; 0 or chunked).</param>
    public static ViewerDecision Evaluate(string scheme, string method, CacheBehaviorConfig behavior, string host = "", string pathAndQuery = "/",
        int? httpsPort = null, bool hasBody = false)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        if (!IsAllowed(behavior.AllowedMethods, method))
        {
            return new ViewerDecision(ViewerAction.MethodNotAllowed, StatusCodes.Status403Forbidden, null);
        }

        if (hasBody && HttpMethods.IsGet(method))
        {
            return new ViewerDecision(ViewerAction.GetWithBody, StatusCodes.Status403Forbidden, null);
        }

        if (string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase))
        {
            return ViewerDecision.Continue;
        }

        switch (behavior.ViewerProtocol)
        {
            case ViewerProtocolPolicy.HttpsOnly:
                return new ViewerDecision(ViewerAction.HttpsRequired, StatusCodes.Status403Forbidden, null);
            case ViewerProtocolPolicy.RedirectToHttps when HttpMethods.IsGet(method) || HttpMethods.IsHead(method):
                return new ViewerDecision(ViewerAction.RedirectToHttps, StatusCodes.Status301MovedPermanently, HttpsLocation(host, pathAndQuery, httpsPort));
            case ViewerProtocolPolicy.RedirectToHttps:
                return new ViewerDecision(ViewerAction.HttpsRequired, StatusCodes.Status403Forbidden, null);
            default:
                return ViewerDecision.Continue;
        }
    }

    /// <summary>Whether the behaviour's allowed methods include <paramref name="method"/>.</summary>
    public static bool IsAllowed(AllowedMethods allowed, string method)
    {
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            return true;
        }

        if (HttpMethods.IsOptions(method))
        {
            return allowed != AllowedMethods.GetHead;
        }

        return allowed == AllowedMethods.All
            && (HttpMethods.IsPut(method) || HttpMethods.IsPost(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method));
    }

    /// <summary>https://host[:port]/path?query — the viewer's host without its (http) port.</summary>
    public static string HttpsLocation(string host, string pathAndQuery, int? httpsPort = null)
    {
        var name = StripPort(host);
        var port = httpsPort is null or 443 ? "" : $":{httpsPort}";
        var target = string.IsNullOrEmpty(pathAndQuery) ? "/" : pathAndQuery;
        return $"https://{name}{port}{target}";
    }

    private static string StripPort(string host)
    {
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            return close < 0 ? host : host[..(close + 1)];
        }

        var colon = host.LastIndexOf(':');
        return colon < 0 ? host : host[..colon];
    }
}
