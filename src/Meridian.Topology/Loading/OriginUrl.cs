using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>An origin URL: absolute <c>http(s)://host[:port][/path]</c>; anything else is an origin that points nowhere.</summary>
internal static class OriginUrl
{
    private const string Expected = "expected http(s)://host:port[/path]";

    public static Uri? Parse(LoadContext ctx, YNode node, string path, string raw)
    {
        var text = raw.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            var hint = text.Length > 0 && !text.Contains(' ') ? $"; did you mean 'http://{text}'?" : "";
            ctx.Error(node, path, $"origin URL '{raw}' has no scheme; {Expected}{hint}");
            return null;
        }
        var scheme = text[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            ctx.Error(node, path, $"unsupported scheme '{text[..schemeEnd]}' in origin URL '{raw}'; {Expected}");
            return null;
        }
        var rest = text[(schemeEnd + 3)..];
        var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        if (authority.Length == 0 || authority.StartsWith(':'))
        {
            ctx.Error(node, path, $"origin URL '{raw}' has no host; {Expected}");
            return null;
        }
        if (authority.Contains('@'))
        {
            ctx.Error(node, path, $"origin URL '{raw}' must not carry credentials (user@host)");
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            ctx.Error(node, path, $"cannot parse origin URL '{raw}'; {Expected}");
            return null;
        }
        if (uri.HostNameType == UriHostNameType.Dns && DomainName.Error(DomainName.Absolute(uri.Host), allowWildcard: false) is { } hostError)
        {
            ctx.Error(node, path, $"origin URL host is not a valid name: {hostError}");
            return null;
        }
        if (uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            ctx.Error(node, path, $"origin URL '{raw}' has no usable host; {Expected}");
            return null;
        }
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            ctx.Error(node, path, $"origin URL '{raw}' must not have a query or fragment; only a path prefix is allowed");
            return null;
        }
        return uri;
    }
}
