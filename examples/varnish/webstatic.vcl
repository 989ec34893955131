vcl 4.1;

# Varnish (7.1) in front of a webstatic reference server, keeping the
# server's own content negotiation and validators:
#
#   fileserver -root s3://site/v1 -s3-path-style -addr 127.0.0.1:8080
#   varnishd -F -a 127.0.0.1:6081 -f examples/varnish/webstatic.vcl \
#       -p http_gzip_support=off -s malloc,256m
#
# http_gzip_support=off is required. With it on (the default) Varnish
# asks the backend for gzip whatever the client accepts, gunzips for
# clients that do not, and weakens the ETag (W/"...") of what it
# gunzips: identity and br clients would never get the server's sidecars
# or its br, and If-Range (strong comparison) would stop matching.
#
# TestS3Varnish (examples/fileserver/varnish_test.go) runs this file with
# the backend port below replaced by the test server's.

backend webstatic {
    .host = "127.0.0.1";
    .port = "8080";
    # Bounded waits: a stalled backend gives a 503, never a hung client.
    .connect_timeout = 5s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}

sub vcl_recv {
    # Accept-Encoding becomes the set of codings the server knows that the
    # client accepts, in one fixed order: "br, zstd, gzip" or a part of
    # it, or no header. The server sends Vary: Accept-Encoding, and
    # Varnish keys its variants by this normalised header: at most eight
    # per object (a browser's "gzip, deflate, br, zstd" is one), instead
    # of one per spelling. A set and not one coding, so that the server
    # still negotiates: a client of br and gzip gets the gzip sidecar of
    # a file that has only that one, and br where the server makes it.
    # A coding counts when it is listed without q=0; identity, deflate
    # and * are dropped (q-values between 0 and 1 are not kept).
    unset req.http.X-Webstatic-Codings;
    if (req.http.Accept-Encoding ~ "(?i)(^|,)\s*br\s*(;\s*q\s*=\s*(1(\.0*)?|0?\.[0-9]*[1-9][0-9]*)\s*)?(,|$)") {
        set req.http.X-Webstatic-Codings = "br";
    }
    if (req.http.Accept-Encoding ~ "(?i)(^|,)\s*zstd\s*(;\s*q\s*=\s*(1(\.0*)?|0?\.[0-9]*[1-9][0-9]*)\s*)?(,|$)") {
        if (req.http.X-Webstatic-Codings) {
            set req.http.X-Webstatic-Codings = req.http.X-Webstatic-Codings + ", zstd";
        } else {
            set req.http.X-Webstatic-Codings = "zstd";
        }
    }
    if (req.http.Accept-Encoding ~ "(?i)(^|,)\s*gzip\s*(;\s*q\s*=\s*(1(\.0*)?|0?\.[0-9]*[1-9][0-9]*)\s*)?(,|$)") {
        if (req.http.X-Webstatic-Codings) {
            set req.http.X-Webstatic-Codings = req.http.X-Webstatic-Codings + ", gzip";
        } else {
            set req.http.X-Webstatic-Codings = "gzip";
        }
    }
    if (req.http.X-Webstatic-Codings) {
        set req.http.Accept-Encoding = req.http.X-Webstatic-Codings;
        unset req.http.X-Webstatic-Codings;
    } else {
        unset req.http.Accept-Encoding;
    }
    # The server ignores cookies; the built-in vcl_recv would pass (not
    # cache) every request that carries one. Authorization (-basic-auth)
    # still passes there.
    unset req.http.Cookie;
    # Range, If-None-Match, If-Modified-Since and If-Range need nothing
    # here: on a miss Varnish fetches the whole object (it strips them
    # from the backend request) and answers them itself from the cached
    # copy: 206 with Content-Range, or 304.
}

sub vcl_backend_response {
    # Keep an object for an hour past its TTL (set by the server's
    # Cache-Control, e.g. -cache-control '*=max-age=60'; Varnish's
    # default_ttl of 120 s without one) and its grace, so that Varnish
    # refreshes it with If-None-Match and If-Modified-Since and the
    # server answers 304 with no body, instead of a full refetch.
    set beresp.keep = 1h;
}

sub vcl_deliver {
    # Say whether the cache answered, for debugging and for the test.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
