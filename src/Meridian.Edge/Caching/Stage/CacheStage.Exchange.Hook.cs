using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Caching;

internal sealed partial class CacheStage
{
    private sealed partial class Exchange
    {
        private sealed class Hook(Exchange exchange, CacheFill? fill, CacheEntry? stale) : IOriginExchangeHook
        {
            public TeeStream? Tee { get; set; }

            public bool NotModified { get; private set; }

            public IHeaderDictionary? NotModifiedHeaders { get; private set; }

            public bool UseStale { get; private set; }

            /// <summary>Whether the rules store this GET answer (below 500); null when not known or not relevant.</summary>
            public bool? Storable { get; private set; }

            /// <summary>
            /// A HEAD miss that fills the cache is sent as a GET (Varnish's builtin VCL and nginx's
            /// <c>proxy_cache_convert_head</c> do the same): the body is stored for the GETs and HEADs that follow, and the
            /// viewer gets the headers only (Kestrel drops body writes on a HEAD response).
            /// </summary>
            public bool HeadAsGet { get; private set; }

            public string? OriginQuery => exchange.Key.Origin.Query;

            public void OnRequest(HttpRequestMessage proxyRequest)
            {
                exchange.Key.Origin.ApplyTo(proxyRequest);
                if (fill is not null && proxyRequest.Method == HttpMethod.Head)
                {
                    proxyRequest.Method = HttpMethod.Get;
                    HeadAsGet = true;
                }

                if (stale is not null)
                {
                    Revalidation.AddValidators(CacheEntryHeaders.ToDictionary(stale.Headers), proxyRequest);
                }
            }

            public bool OnResponse(HttpContext http, HttpResponseMessage proxyResponse)
            {
                var status = (int)proxyResponse.StatusCode;
                var headers = http.Response.Headers;
                var now = exchange.Time.GetUtcNow();
                if (stale is not null && status == StatusCodes.Status304NotModified)
                {
                    NotModified = true;
                    NotModifiedHeaders = new HeaderDictionary(headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase));
                    return false;
                }

                if (status >= 500 && stale is not null && now - stale.Metadata.Expires < stale.Metadata.StaleIfError)
                {
                    UseStale = true;
                    return false;
                }

                var method = HeadAsGet ? HttpMethods.Get : http.Request.Method;
                var decision = TtlCalculator.Decide(exchange.Behavior, method, status, headers, now, exchange.Config.ErrorCachingMinTtl);
                // 5xx answers stay collapsed: a struggling origin gets one request per key, not all of them.
                Storable = HttpMethods.IsGet(method) && status < 500 ? decision.Store : null;
                var coding = CompressionPolicy.Choose(exchange.Behavior.Compress, exchange.Key.AcceptEncoding, status, headers);
                if (coding != ContentCoding.Identity && !HttpMethods.IsHead(method))
                {
                    CompressionPolicy.ApplyCompressedHeaders(headers, coding);
                    Tee!.Compress(coding);
                }
                else if (exchange.Behavior.Compress && CompressionPolicy.IsCompressible(status, headers))
                {
                    // The identity variant of a response the edge compresses for other viewers.
                    CompressionPolicy.AddVaryAcceptEncoding(headers);
                }

                if (fill is not null && decision.Store && !HttpMethods.IsHead(method))
                {
                    var metadata = CacheEntryHeaders.Metadata(headers, decision, now);
                    long? length = coding == ContentCoding.Identity ? http.Response.ContentLength : null;
                    if (fill.Start(exchange.StorePathValue, status, CacheEntryHeaders.ToStored(headers), metadata, length))
                    {
                        Tee!.Fill = fill;
                    }
                }

                headers["X-Cache"] = Revalidation.XCache(status >= 400 ? CacheOutcome.Error : CacheOutcome.Miss, exchange.Location);
                exchange.AppendVia(headers);
                // A HEAD sent as a GET whose body is not stored: the viewer has its headers, YARP skips the body.
                return !(HeadAsGet && Tee!.Fill is null);
            }
        }
    }
}
