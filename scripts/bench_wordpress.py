"""`make bench-wordpress`: posting a comment here and on WordPress, side by side.

WordPress as Debian packages it (/usr/share/wordpress, copied into a temporary folder with a
wp-config.php of its own), theme Twenty Twenty-One, PHP-FPM 8.2 with opcache (4 children),
nginx and MariaDB, all run as child processes of this script; installed through its installer
with moderation on, no email to the admin for held comments or new ones, the flood check off
(every post comes from 127.0.0.1) and no page cache; one post holding the seed article's text.
This site runs as `make bench` runs it (gunicorn with `make serve`'s settings, page cache on,
PostgreSQL and Redis, the email worker).

Three ways of posting, with `make bench`'s client (scripts/bench.py: a new cookie jar for each
post, 4 clients at once): this site, page view and post (its form needs the page's token);
WordPress, the post alone (its form needs nothing from the page); WordPress, page view and
post. They run in alternating rounds whose order turns each round, each side's comments deleted
before its turn so every round starts from the same tables. Reported: posts per second
(median and range of the rounds), p50 and p99 milliseconds of the posts, and the application
servers' CPU (gunicorn's workers, PHP-FPM's children) per post. Nothing here asserts a timing.
"""

import argparse
import http.cookiejar
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import bench

ROOT = bench.ROOT
WORDPRESS = Path("/usr/share/wordpress")
THEME = "twentytwentyone"
# BENCH_WORDPRESS_PORT_BASE moves this site's gunicorn (base) and WordPress's nginx (base + 1).
_BASE = int(os.environ.get("BENCH_WORDPRESS_PORT_BASE", "8511"))
PORT_SITE, PORT_WORDPRESS = _BASE, _BASE + 1
DB = {
    "name": os.environ.get("BENCH_WP_DB_NAME", "nervepain_bench_wp"),
    "host": os.environ.get("BENCH_WP_DB_HOST", "127.0.0.1"),
    "port": os.environ.get("BENCH_WP_DB_PORT", "3306"),
    "user": os.environ.get("BENCH_WP_DB_USER", "root"),
    "password": os.environ.get("BENCH_WP_DB_PASSWORD", ""),
}

PHP_FPM_CONF = """
[global]
pid = {workdir}/php-fpm.pid
error_log = {workdir}/php-fpm.log
daemonize = no

[bench]
listen = {workdir}/php-fpm.sock
listen.mode = 0666
pm = static
pm.max_children = 4
"""

NGINX_CONF = (
    bench.NGINX_HEAD
    + """\
    types {{ text/html html; text/css css; application/javascript js; }}
    keepalive_requests 100000;
    gzip on;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        index index.php;
        location / {{ try_files $uri $uri/ /index.php?$args; }}
        location ~ \\.php$ {{
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
            fastcgi_pass unix:{workdir}/php-fpm.sock;
        }}
    }}
}}
"""
)

WP_CONFIG = """<?php
define('DB_NAME', {name});
define('DB_USER', {user});
define('DB_PASSWORD', {password});
define('DB_HOST', {host});
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{salts}
$table_prefix = 'wp_';
define('WP_DEBUG', false);
define('WP_DEFAULT_THEME', '{theme}');
// A site of its own in a temporary folder: no updates, no calls out, and its scheduled tasks
// left to a system cron job (as on a busy site) rather than spawned by page views.
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
if (!defined('ABSPATH')) {{
    define('ABSPATH', __DIR__ . '/');
}}
require_once ABSPATH . 'wp-settings.php';
"""

# Every post comes from 127.0.0.1 within seconds of the last: WordPress's flood check (one
# comment per address every 15 s) would refuse them all. Its query still runs, as on a site.
MU_PLUGIN = """<?php
add_filter('wp_is_comment_flood', '__return_false', 99);
"""

OPCACHE_PROBE = """<?php
header('Content-Type: application/json');
echo json_encode(['opcache' => (opcache_get_status(false) ?: [])['opcache_enabled'] ?? false,
                  'php' => PHP_VERSION]);
"""


def php_string(value):
    """A PHP string literal (single-quoted) for ``value``."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def mysql(sql, database=None):
    """Run ``sql`` with the mysql client; its tab-separated output."""
    command = ["mysql", "-h", DB["host"], "-P", DB["port"], "-u", DB["user"], "-N", "-B"]
    if database:
        command.append(database)
    env = {**os.environ, "MYSQL_PWD": DB["password"]}
    result = subprocess.run(command, input=sql, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"mysql: {result.stderr.strip()}")
    return result.stdout


def sql_text(value):
    """A string literal for MariaDB that no quoting in ``value`` can break."""
    return f"CONVERT(X'{value.encode().hex()}' USING utf8mb4)" if value else "''"


class Children:
    """The processes this script starts, stopped at exit whatever the exit."""

    def __init__(self):
        self.processes = []

    def start(self, command, **kwargs):
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs
        )
        self.processes.append(process)
        return process

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_for(url, what, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            # 502: nginx is up before PHP-FPM's socket is.
            if error.code != 502 or time.monotonic() > deadline:
                raise RuntimeError(f"{what} at {url}: {error}") from None
            time.sleep(0.1)
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not answer at {url} in {seconds} s") from None
            time.sleep(0.1)


class WordPress:
    """WordPress in ``workdir``: PHP-FPM and nginx, with the database made fresh."""

    def __init__(self, workdir, children, title, content):
        self.workdir = workdir
        self.site = workdir / "wordpress"
        self.base = f"http://127.0.0.1:{PORT_WORDPRESS}"
        self.install_files()
        mysql(f"DROP DATABASE IF EXISTS `{DB['name']}`; CREATE DATABASE `{DB['name']}`")
        (workdir / "php-fpm.conf").write_text(PHP_FPM_CONF.format(workdir=workdir))
        # PHP as Debian configures it for FPM (its php.ini and conf.d, which load mysqli and
        # opcache), with opcache switched on whatever they say. As root, the pool runs as root
        # (-R), as this script does: nothing to give to www-data in the temporary folder.
        command = [
            "php-fpm8.2",
            "-F",
            "-y",
            str(workdir / "php-fpm.conf"),
            "-d",
            "opcache.enable=1",
        ]
        if os.getuid() == 0:
            command.append("-R")
        self.fpm = children.start(command)
        (workdir / "nginx.conf").write_text(
            NGINX_CONF.format(workers="auto", workdir=workdir, port=PORT_WORDPRESS, site=self.site)
        )
        children.start(["nginx", "-c", str(workdir / "nginx.conf"), "-p", str(workdir)])
        probe = json.loads(wait_for(self.base + "/bench-opcache.php", "WordPress's nginx"))
        if probe["opcache"] is not True:
            raise RuntimeError(f"opcache is off in PHP-FPM: {probe}")
        self.php = probe["php"]
        self.install(title, content)

    def install_files(self):
        """Debian's WordPress, copied: its own wp-config.php reads /etc/wordpress, and PHP
        resolves symbolic links, so a linked file would load Debian's configuration."""
        shutil.copytree(
            WORDPRESS, self.site, ignore=shutil.ignore_patterns(".htaccess", "wp-config.php"),
            ignore_dangling_symlinks=True,
        )  # fmt: skip
        salts = "\n".join(
            f"define('{key}', '{secrets.token_hex(32)}');"
            for key in ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
                        "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT")
        )  # fmt: skip
        (self.site / "wp-config.php").write_text(
            WP_CONFIG.format(
                name=php_string(DB["name"]),
                user=php_string(DB["user"]),
                password=php_string(DB["password"]),
                host=php_string(f"{DB['host']}:{DB['port']}"),
                salts=salts,
                theme=THEME,
            )
        )
        mu_plugins = self.site / "wp-content/mu-plugins"
        mu_plugins.mkdir()
        (mu_plugins / "bench.php").write_text(MU_PLUGIN)
        (self.site / "bench-opcache.php").write_text(OPCACHE_PROBE)
        if not (self.site / "wp-content/themes" / THEME).is_dir():
            raise RuntimeError(f"no {THEME} theme in {WORDPRESS} (wordpress-theme-{THEME})")

    def install(self, title, content):
        """WordPress's installer, then the options and the post the benchmark needs."""
        form = {
            "weblog_title": "Bench",
            "user_name": "admin",
            "admin_password": "bench-admin-pass-123",
            "admin_password2": "bench-admin-pass-123",
            "pw_weak": "1",
            "admin_email": "admin@example.org",
            "blog_public": "0",
            "language": "",
        }
        body = urllib.parse.urlencode(form).encode()
        url = self.base + "/wp-admin/install.php?step=2"
        page = urllib.request.urlopen(url, body, timeout=120).read().decode()
        if "Success!" not in page:
            raise RuntimeError("WordPress's installer did not succeed:\n" + page[-2000:])
        options = {
            "comment_moderation": "1",
            "moderation_notify": "0",
            "comments_notify": "0",
            "template": THEME,
            "stylesheet": THEME,
        }
        statements = [
            f"UPDATE wp_options SET option_value = '{value}' WHERE option_name = '{name}';"
            for name, value in options.items()
        ]
        # The installer's "Hello world!" post (ID 1) becomes the article, without its comment.
        statements.append(
            f"UPDATE wp_posts SET post_title = {sql_text(title)}, "
            f"post_content = {sql_text(content)} WHERE ID = 1;"
        )
        mysql("\n".join(statements), DB["name"])
        self.delete_comments()
        self.post_url = self.base + "/?p=1"
        page = urllib.request.urlopen(self.post_url, timeout=30).read().decode()
        if f"themes/{THEME}/" not in page or 'id="commentform"' not in page:
            raise RuntimeError(f"WordPress's post page is not {THEME}'s with a comment form")

    def delete_comments(self):
        mysql(
            "TRUNCATE wp_comments; TRUNCATE wp_commentmeta; UPDATE wp_posts SET comment_count = 0;",
            DB["name"],
        )

    def held_comments(self):
        return int(
            mysql("SELECT COUNT(*) FROM wp_comments WHERE comment_approved = '0'", DB["name"])
        )

    def cpu_seconds(self):
        children = Path(f"/proc/{self.fpm.pid}/task/{self.fpm.pid}/children").read_text().split()
        total = 0
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / bench.CLOCK_TICKS

    def post_comments(self, count, connections, warmup, page_view):
        """Post as `make bench` does, each from a new cookie jar; with ``page_view``, after
        fetching the post's page as a browser would."""
        before = self.cpu_seconds()

        def post(n):
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                bench.NoRedirect(),
            )
            if page_view:
                page = urllib.request.Request(self.post_url, headers=bench.GZIP)
                opener.open(page, timeout=10).read()
            data = {
                "comment_post_ID": "1",
                "comment_parent": "0",
                "author": f"Bench {n}",
                "email": f"bench{n}@example.org",
                "url": "",
                "comment": f"Benchmark comment {n}: " + " ".join(bench.WORDS[: 20 + n % 30]),
                "submit": "Post Comment",
            }
            return bench.timed_post(opener, self.base + "/wp-comments-post.php", data)

        row = bench.post_in_threads(post, count, connections, warmup)
        cpu = self.cpu_seconds() - before
        row["cpu_ms_per_post"] = round(cpu * 1000 / (warmup + count), 2)
        return row


class Site:
    """This site as `make bench` runs it: gunicorn (page cache on) and the email worker."""

    def __init__(self, workdir, children):
        env = dict(os.environ)
        bench.reset_database(env["DATABASE_URL"])
        shutil.rmtree(env["DJANGO_STATIC_ROOT"], ignore_errors=True)
        bench.manage("collectstatic", "--noinput", "-v0")
        bench.manage("migrate", "--noinput", "-v0")
        bench.manage("load_seed")
        bench.django_setup()
        self.redis_url = env["REDIS_URL"]
        self.flush_redis()
        children.start(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "default",
             "--interval", "1", "--no-reload"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        # In memory where there is a tmpfs, as in `make bench` (log lines written beside
        # PostgreSQL's WAL delay its commits).
        log_dir = Path("/dev/shm") if Path("/dev/shm").is_dir() else workdir
        access_log = log_dir / f"nervepain-bench-wp-access-{os.getpid()}.log"
        access_log.write_text("")
        self.access_log = access_log
        self.server = bench.Server(PORT_SITE, env, 300, str(access_log))
        children.processes.append(self.server.process)

    def article(self):
        from articles.models import Article

        article = Article.objects.get()
        return article.title, article.body_html

    def delete_comments(self):
        from django.db import connection

        from comments.models import Comment

        Comment.objects.filter(user_name__startswith="Bench ").delete()
        connection.close()
        # The rate limit's and the same-text check's counters of the last round's addresses.
        self.flush_redis()

    def flush_redis(self):
        subprocess.run(["redis-cli", "-u", self.redis_url, "flushdb"], check=True,
                       capture_output=True)  # fmt: skip

    def held_comments(self):
        from comments.models import Comment

        return Comment.objects.filter(
            user_name__startswith="Bench ", state=Comment.State.PENDING
        ).count()

    def post_comments(self, count, connections, warmup):
        row = bench.post_comments(self.server, count, connections, warmup)
        row["cpu_ms_per_post"] = row.pop("cpu_ms_per_request")
        return row


SIDES = [
    ("this site, page view + post", "site"),
    ("WordPress, post only", "wordpress"),
    ("WordPress, page view + post", "wordpress-view"),
]


def run_rounds(site, wordpress, args):
    """``args.rounds`` rounds of every side, the order turning by one each round."""
    runs = {name: [] for name, _ in SIDES}
    for number in range(args.rounds):
        order = SIDES[number % len(SIDES) :] + SIDES[: number % len(SIDES)]
        for name, side in order:
            target = site if side == "site" else wordpress
            target.delete_comments()
            if side == "site":
                row = site.post_comments(args.posts, args.connections, args.warmup)
            else:
                row = wordpress.post_comments(
                    args.posts, args.connections, args.warmup, page_view=side == "wordpress-view"
                )
            row["held"] = target.held_comments()
            runs[name].append(row)
            print(
                f"round {number + 1}: {name}: {row['requests_per_s']} posts/s, "
                f"p99 {row['p99_ms']} ms, statuses {row['statuses']}, held {row['held']}",
                flush=True,
            )
    return runs


def summary(runs):
    rows = {}
    for name, parts in runs.items():
        rates = [part["requests_per_s"] for part in parts]
        rows[name] = {
            "posts_per_s_median": round(statistics.median(rates), 1),
            "posts_per_s_min": min(rates),
            "posts_per_s_max": max(rates),
            "p50_ms_median": round(statistics.median(p["p50_ms"] for p in parts), 1),
            "p99_ms_min": round(min(p["p99_ms"] for p in parts), 1),
            "p99_ms_max": round(max(p["p99_ms"] for p in parts), 1),
            "cpu_ms_per_post_median": round(
                statistics.median(p["cpu_ms_per_post"] for p in parts), 2
            ),
        }
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds")
    parser.add_argument("--posts", type=int, default=120, help="posts timed per side and round")
    parser.add_argument("--warmup", type=int, default=12, help="posts not timed before them")
    parser.add_argument("--connections", type=int, default=4, help="clients posting at once")
    parser.add_argument("--out", default=str(ROOT / "bench-results"))
    args = parser.parse_args()

    # SIGTERM (a `kill`, a CI runner) unwinds like Ctrl-C, through the `finally` below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    children = Children()
    workdir = Path(tempfile.mkdtemp(prefix="nervepain-bench-wp-"))
    workdir.chmod(0o755)  # nginx's workers run as another user when started as root
    site = None
    try:
        site = Site(workdir, children)
        wordpress = WordPress(workdir, children, *site.article())
        runs = run_rounds(site, wordpress, args)
        pages = {
            "this site's article": page_bytes(site.server.base + bench.ARTICLE),
            "WordPress's post": page_bytes(wordpress.post_url),
        }
    except KeyboardInterrupt:
        sys.exit("bench-wordpress: interrupted")
    finally:
        children.stop()
        if site:
            site.access_log.unlink(missing_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)

    rows = summary(runs)
    ours = rows[SIDES[0][0]]["posts_per_s_median"]
    alone = rows[SIDES[1][0]]["posts_per_s_median"]
    with_view = rows[SIDES[2][0]]["posts_per_s_median"]
    lines = [
        f"{args.rounds} alternating rounds of {args.posts} posts (after {args.warmup}) at "
        f"{args.connections} connections; WordPress {wordpress_version()}, {THEME}, "
        f"PHP {wordpress.php} FPM with opcache (4 children), nginx, MariaDB "
        f"{mysql('SELECT VERSION()').strip().split('-')[0]}.",
        "",
        "| | posts/s, median (range) | p50 ms | p99 ms (rounds) | app CPU ms per post |",
        "|---|---|---:|---|---:|",
    ]
    for name, row in rows.items():
        lines.append(
            f"| {name} | {row['posts_per_s_median']} ({row['posts_per_s_min']}-"
            f"{row['posts_per_s_max']}) | {row['p50_ms_median']} | {row['p99_ms_min']}-"
            f"{row['p99_ms_max']} | {row['cpu_ms_per_post_median']} |"
        )
    viewed = ", ".join(
        f"{name} {raw:,} bytes ({packed:,} gzip)" for name, (raw, packed) in pages.items()
    )
    lines.append(f"\nPages viewed: {viewed}.")
    lines.append(
        f"This site: {ours / alone:.2f}x WordPress's post alone, {ours / with_view:.2f}x "
        "WordPress with its page view (medians; the target is 2x the post alone)."
    )
    table = "\n".join(lines)
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    (out / "bench-wordpress.json").write_text(
        json.dumps({"runs": runs, "rows": rows, "pages": pages}, indent=2)
    )
    (out / "bench-wordpress.md").write_text(table + "\n")
    print(table)


def page_bytes(url):
    """A page's size as served, raw and gzip (each from a new browser, with no cookie)."""
    raw, _ = bench.fetch(url, gzip_ok=False)
    packed, _ = bench.fetch(url, gzip_ok=True)
    return len(raw), len(packed)


def wordpress_version():
    version = (WORDPRESS / "wp-includes/version.php").read_text()
    return version.split("$wp_version = '", 1)[1].split("'", 1)[0]


if __name__ == "__main__":
    main()
