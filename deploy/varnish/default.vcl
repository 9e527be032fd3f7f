vcl 4.1;
# Varnish in front of nervepain's web nodes (Debian's varnish 7).
#
# Anonymous reader pages are kept for as long as Django says (Cache-Control: s-maxage, six hours
# when purging is configured), uploaded images (/media/) a year, and both dropped by surrogate
# key the moment something they show changes or the image is deleted: the site sends "BAN /"
# with the keys in an xkey header (articles/frontcache.py, DJANGO_FRONT_CACHE_VARNISH). Only
# what Django marks public and tags with keys is kept; everything else (the admin, posts, pages
# for a logged-in user or a commenter) goes to Django.
#
# backends.vcl, beside this file or on vcl_path, names the web nodes, adds them to the "web"
# round-robin director (a node failing its health probe is skipped) and again, unprobed, to
# "web_anyway" (tried when every node fails its probe), and lists the addresses allowed to
# purge (acl purgers): the web nodes and their task workers. scripts/varnish-backends.sh
# writes one.

import directors;
import std;

sub vcl_init {
    new web = directors.round_robin();
    new web_anyway = directors.round_robin();
}

# The nodes, their own vcl_init (Varnish runs both, in order) adding them to "web", and the ACL.
include "backends.vcl";

sub vcl_recv {
    set req.backend_hint = web.backend();
    # Every node sick (the only one, or all of them too busy to answer their probe in time):
    # try them anyway rather than answer 503 at once. A node that is down refuses at once and
    # the reader gets the same 503; one that is only slow serves its readers late.
    if (!std.healthy(req.backend_hint)) {
        set req.backend_hint = web_anyway.backend();
    }

    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is allowed from the web nodes only"));
        }
        if (req.http.xkey !~ "^[A-Za-z0-9:_-]+( [A-Za-z0-9:_-]+)*$") {
            return (synth(400, "BAN needs an xkey header: surrogate keys separated by spaces"));
        }
        # Lurker-friendly (obj.* only): old objects are checked in the background too.
        ban("obj.http.xkey ~ (^|[[:space:]])(" + regsuball(req.http.xkey, " ", "|") + ")([[:space:]]|$)");
        return (synth(200, "Banned"));
    }
    if (req.method == "PURGE") {
        return (synth(405, "Use BAN with an xkey header"));
    }

    # Writes, and anything not a plain read, always reach Django.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin (at its default address; elsewhere its session cookie sends it past anyway).
    if (req.url ~ "^/admin/") {
        return (pass);
    }
    # A page made for one reader: logged in (session, CSRF), a commenter who may see their
    # held comments, or "remember me". Keep in step with PAGE_CACHE_BYPASS_COOKIES.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken|np_commenter|np_remember)=") {
        return (pass);
    }
    # Every other cookie (the form token, analytics) changes nothing in a shared page.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Uploaded images (nervepain/media.py): random names never reused, so a changed image has a
    # new address; kept as long as Django says (a year), and banned by their own xkey when
    # deleted (articles.frontcache.forget_files). A 404 is not kept: the file may come later.
    if (bereq.url ~ "^/media/" && beresp.status == 200 && beresp.http.xkey
        && beresp.http.Cache-Control ~ "public" && !beresp.http.Set-Cookie) {
        return (deliver);
    }
    if (beresp.http.xkey && beresp.http.Cache-Control ~ "public") {
        # The comment form's token cookie belongs to one reader: never kept in a shared copy
        # (the form's script fetches one from /comments/token/).
        unset beresp.http.Set-Cookie;
        return (deliver);
    }
    if (bereq.url ~ "^/static/" && beresp.http.Cache-Control ~ "public" && !beresp.http.Set-Cookie) {
        return (deliver);  # hashed file names: kept as long as Django says (a year)
    }
    # Error pages, redirects, 404s, anything not tagged: not kept, so a purge never misses one.
    set beresp.uncacheable = true;
    set beresp.ttl = 120s;
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Front-Cache = "hit";
        # Django's headers about the request that filled the cache, not this one.
        unset resp.http.X-Request-ID;
        unset resp.http.X-Page-Cache;
    } else {
        set resp.http.X-Front-Cache = "miss";
    }
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
