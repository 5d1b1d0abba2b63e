vcl 4.1;
# Varnish for bench/edge/run.sh: the built-in VCL (it caches GET/HEAD without Cookie/Authorization for the origin's
# max-age) with the origin as backend, plus an X-Cache header like Meridian's and nginx's, to check hits.

backend origin {
    .host = "127.0.0.71";
    .port = "8080";
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
