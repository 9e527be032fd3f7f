"""`make bench`: how the article page, the home page and posting a comment perform.

For N = 0, 50, 200 and 1000 public threaded comments (three levels, realistic lengths) in
PostgreSQL, two gunicorn servers with `make serve`'s settings run side by side: one with the
page cache on, one with it off. wrk drives each page with 1 and 16 connections on loopback, the
pages taking turns in alternating rounds; a
Python client posts comments (held for moderation, a fresh form for each) with 4 connections,
while the email worker mails the moderators about them (a few a minute, as configured); at the
first N, again with 5,000 text fingerprints on the spam list (``--spam-list``).
The same HTML bytes are also served as a static file by the same stack (whitenoise in gunicorn),
the ceiling each figure is compared with. Then site search: with 1,000 published articles
(about 600 words each), a common word, two words, and a word no article has, at 1 and 16
connections (search pages are never cached).

In front of the cache-on server, the shipped Varnish (deploy/varnish/default.vcl) serves the
article too, beside nginx serving the same bytes as a static file: the front cache's column.
At the first N, 100 moderator approvals are timed from the approval's commit to the comment
being visible through Varnish (purged through the task queue and its worker). Cache hits are
also measured at 1 connection on two more servers, gunicorn's old worker recycling (every
2,000 requests, each worker loading Django itself) against the shipped one (preloaded app,
50,000 requests with jitter), for their p99 and maximum latency.

Reported for each: requests/s, p50, p99 and maximum latency, response bytes (raw and gzip),
server CPU milliseconds per request (the workers' user+system time from /proc), queries per
request, and the workers' peak memory. A Markdown table goes to stdout and everything to
bench-results/. Benchmarks are not tests: nothing here asserts a timing.
"""

import argparse
import datetime
import gc
import gzip
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ARTICLE = "/articles/why-does-nerve-pain-get-worse-after-physical-therapy/"
# BENCH_PORT_BASE moves the six servers' ports (8501-8506), for two benchmarks on one machine.
_BASE = int(os.environ.get("BENCH_PORT_BASE", "8501"))
PORT_ON, PORT_OFF, PORT_FRONT, PORT_NGINX = _BASE, _BASE + 1, _BASE + 2, _BASE + 3
PORT_OLD_RECYCLING, PORT_NEW_RECYCLING = _BASE + 4, _BASE + 5
GZIP = {"Accept-Encoding": "gzip"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE = (
    "my physio session left the nerve pain worse for two days then it settled ice helped "
    "more than heat for me and gentler glides made a difference I also rested between "
    "sessions and told my therapist which exercises flared it up thank you for this article"
)
WORDS = SAMPLE.split()


def django_setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nervepain.settings")
    django.setup()


def reset_database(url):
    import psycopg2

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def sentence(rng, low, high):
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def grow_comments(target):
    """Add public comments until there are ``target``: a third top-level, the rest replies."""
    from django.db import transaction

    from articles.models import Article
    from comments.models import Comment

    rng = random.Random(target)
    article = Article.objects.get()
    existing = list(Comment.objects.for_object(article).values_list("pk", "level"))
    with transaction.atomic():
        while len(existing) < target:
            parent_id, level = 0, -1
            if existing and rng.random() < 0.67:
                candidates = [(pk, lv) for pk, lv in existing if lv < 2]
                parent_id, level = rng.choice(candidates)
            paragraphs = [sentence(rng, 8, 40) for _ in range(rng.choice([1, 1, 2, 3]))]
            comment = Comment(
                content_object=article,
                site_id=1,
                user_name=f"Reader {len(existing)}",
                user_email=f"reader{len(existing)}@example.org",
                comment="\n\n".join(paragraphs),
                state=Comment.State.PUBLISHED,
                parent_id=parent_id,
            )
            comment.save()
            existing.append((comment.pk, level + 1))


def fill_spam_list(count):
    """Put ``count`` text fingerprints on the spam list, as if moderators had marked that many
    spam comments (made-up texts sharing no words with the posted ones), all learned from one
    of the posted comments."""
    from django.db import connection

    from comments import spam
    from comments.models import Comment, SpamSignature

    rng = random.Random(count)
    holder = Comment.objects.filter(user_name__startswith="Bench ").earliest("pk")
    texts = (" ".join(f"spam{rng.randrange(5000)}" for _ in range(40)) for _ in range(count))
    SpamSignature.objects.bulk_create(
        [SpamSignature(comment=holder, kind="text", value=spam.fingerprint(t)) for t in texts],
        ignore_conflicts=True,
        batch_size=1000,
    )
    spam.index_fingerprints(SpamSignature.objects.filter(kind="text"))
    with connection.cursor() as cursor:  # as autovacuum would soon: the planner sees the rows
        cursor.execute("ANALYZE comments_spamsignature, comments_spamfingerprintminimum")


SEARCHES = [
    ("search: common word", "/search/?q=nerve"),
    ("search: two words", "/search/?q=therapy+ice"),
    ("search: no result", "/search/?q=xylophone"),
]


def grow_articles(target):
    """Add published articles (~600 words in six sections) until there are ``target``."""
    from django.utils import timezone

    from articles.markdown import analyse, plain_text, render_markdown, table_of_contents
    from articles.models import Article
    from articles.search import search_vector

    rng = random.Random(target)
    now = timezone.now()
    new = []
    for n in range(Article.objects.count(), target):
        body = "\n\n".join(
            f"## {sentence(rng, 2, 5)[:-1]}\n\n" + " ".join(sentence(rng, 8, 20) for _ in range(8))
            for _ in range(6)
        )
        html = render_markdown(body)
        analysis = analyse(html)
        new.append(
            Article(
                title=sentence(rng, 4, 9)[:-1],
                slug=f"bench-{n}",
                summary=sentence(rng, 10, 20)[:160],
                body=body,
                body_html=html,
                toc=table_of_contents(analysis.headings),
                word_count=analysis.word_count,
                search_headings=plain_text(" ".join(h["title"] for h in analysis.headings)),
                search_text=plain_text(analysis.text),
                status=Article.Status.PUBLISHED,
                published_at=now - datetime.timedelta(hours=n),
            )
        )
    Article.objects.bulk_create(new, batch_size=200)
    Article.objects.update(search_vector=search_vector())


def write_static_copy(html_raw, static_root, n):
    """The article page's bytes as a static file, with the gzip copy whitenoise would serve."""
    folder = Path(static_root) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"article-{n}.html"
    path.write_bytes(html_raw)
    (folder / f"article-{n}.html.gz").write_bytes(gzip.compress(html_raw, 9))
    return f"/static/bench/article-{n}.html"


class Server:
    def __init__(self, port, env, cache_seconds, access_log="/dev/null", **extra_env):
        self.port = port
        self.access_log = Path(access_log)
        env = {**env, "DJANGO_PAGE_CACHE_SECONDS": str(cache_seconds), **extra_env}
        command = [
            str(ROOT / ".venv/bin/gunicorn"), "nervepain.wsgi", "-c", "nervepain/gunicorn_conf.py",
            "-b", f"127.0.0.1:{port}", "--access-logfile", access_log, "--error-logfile", "-",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/", timeout=5)
                break
            except OSError:  # refused, or not answering yet
                time.sleep(0.1)

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def cpu_seconds(self):
        total = 0
        for pid in self.workers():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / CLOCK_TICKS

    def peak_memory_mb(self):
        peaks = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)
        return max(peaks)

    def rss_mb(self):
        sizes = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return max(sizes)

    def post_durations(self, since: int) -> list[float]:
        """gunicorn's own milliseconds for each comment post logged after byte ``since``, in
        the order the posts finished."""
        with self.access_log.open() as log:
            log.seek(since)
            lines = [line for line in log if 'method=POST path="/comments/post/"' in line]
        return [float(re.search(r"duration_ms=(\d+)", line).group(1)) for line in lines]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)


def fetch(url, gzip_ok):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read(), dict(response.headers)


def parse_latency(text, label):
    match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", text)
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def parse_max(text):
    match = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)", text)
    return float(match.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[match.group(2)]


class Front:
    """A server that is not gunicorn (Varnish, nginx): its address; CPU is not read."""

    def __init__(self, port, process):
        self.base = f"http://127.0.0.1:{port}"
        self.process = process
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/static/", timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)

    def cpu_seconds(self):
        return 0.0

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)


def start_varnish(port, backend_port, workdir):
    """The shipped VCL in front of one gunicorn server."""
    backends = subprocess.run(
        [str(ROOT / "scripts/varnish-backends.sh"), f"127.0.0.1:{backend_port}"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    (workdir / "backends.vcl").write_text(backends)
    process = subprocess.Popen(
        ["varnishd", "-F", "-a", f"127.0.0.1:{port}", "-n", str(workdir / "varnish"),
         "-s", "malloc,256m", "-f", str(ROOT / "deploy/varnish/default.vcl"),
         "-p", f"vcl_path={workdir}:{ROOT / 'deploy/varnish'}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return Front(port, process)


# nginx run from a temporary folder (``workdir``): its pid, logs and buffers there, nothing
# in /etc or /var. Shared with scripts/bench_wordpress.py, whose nginx serves WordPress.
NGINX_HEAD = """
daemon off;
worker_processes {workers};
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
"""

NGINX_CONF = (
    NGINX_HEAD
    + """\
    types {{ text/html html; }}
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    gzip_static on;
    server {{
        listen 127.0.0.1:{port};
        location /static/ {{ alias {static_root}/; }}
    }}
}}
"""
)


def start_nginx(port, static_root, workdir):
    """nginx serving the static copies (and their .gz) as files: the ceiling for a cache."""
    conf = workdir / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(workers=2, workdir=workdir, port=port, static_root=static_root)
    )
    process = subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return Front(port, process)


def approval_to_visible(front, count):
    """Time from a moderator's approval (its commit) to the comment on the page through
    Varnish, ``count`` times: the purge goes through the task queue and its worker."""
    from django.contrib.auth.models import User

    from articles.models import Article
    from comments.models import Comment

    article = Article.objects.get()
    moderator, _ = User.objects.get_or_create(username="bench-moderator", is_staff=True)
    seconds = []
    for n in range(count):
        comment = Comment(
            content_object=article, site_id=1, user_name=f"Bench {n}",
            user_email=f"approved{n}@example.org", comment=f"Approved comment {n}.",
            state=Comment.State.PENDING,
        )  # fmt: skip
        comment.save()
        for _ in range(50):  # the page cached in Varnish again
            with urllib.request.urlopen(front.base + ARTICLE, timeout=10) as response:
                response.read()
                if response.headers.get("X-Front-Cache") == "hit":
                    break
        marker = f'id="c{comment.pk}"'.encode()
        started = time.perf_counter()
        comment.moderate(Comment.State.PUBLISHED, moderator)
        while True:
            with urllib.request.urlopen(front.base + ARTICLE, timeout=10) as response:
                if marker in response.read():
                    break
            if time.perf_counter() - started > 30:
                raise RuntimeError(f"comment {comment.pk} not visible through Varnish in 30 s")
            time.sleep(0.002)
        seconds.append((time.perf_counter() - started) * 1000)
    return {
        "approvals": count,
        "median_ms": percentile(seconds, 0.5),
        "p99_ms": percentile(seconds, 0.99),
        "max_ms": round(max(seconds), 2),
    }


def wrk(server, path, connections, seconds):
    """One wrk run: requests, seconds, p50 and p99 latency, server CPU seconds, non-2xx."""
    before = server.cpu_seconds()
    result = subprocess.run(
        ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{seconds}s",
         "--latency", "-H", "Accept-Encoding: gzip", server.base + path],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    cpu = server.cpu_seconds() - before
    out = result.stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": requests,
        "seconds": requests / rate if rate else seconds,
        "p50_ms": parse_latency(out, "50"),
        "p99_ms": parse_latency(out, "99"),
        "max_ms": parse_max(out),
        "cpu": cpu,
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def measure(targets, connections, seconds, rounds):
    """wrk on every target in turn, ``rounds`` times over, ``seconds`` in all for each.

    Alternating rounds let a slow spell of this shared machine fall on every target alike,
    instead of on whichever one was running; the ratios to the static ceiling depend on it.
    The p50 is the median of the rounds', the p99 the worst round's.
    """
    runs = {name: [] for name, _, _ in targets}
    for _ in range(rounds):
        for name, server, path in targets:
            runs[name].append(wrk(server, path, connections, seconds // rounds))
    rows = {}
    for name, parts in runs.items():
        requests = sum(part["requests"] for part in parts)
        rows[name] = {
            "requests_per_s": round(requests / sum(part["seconds"] for part in parts), 1),
            "p50_ms": round(statistics.median(part["p50_ms"] for part in parts), 2),
            "p99_ms": round(max(part["p99_ms"] for part in parts), 2),
            "max_ms": round(max(part["max_ms"] for part in parts), 2),
            "cpu_ms_per_request": round(sum(p["cpu"] for p in parts) * 1000 / max(requests, 1), 2),
            "requests": requests,
            "non_2xx": sum(part["non_2xx"] for part in parts),
        }
    return rows


def post_comments(server, count, connections, warmup):
    """Post ``warmup`` and then ``count`` comments, each from a freshly served form, with
    ``connections`` clients posting all the while; only the ``count`` are reported.

    The clients start together, so the first posts arrive at once, on workers that have not
    posted yet: gunicorn's log put the first two at 54-58 ms when the rest ran at 11-40
    (and up to 170-280 ms in runs where the machine stalled then). Like the pages, which are
    fetched before wrk measures them, posting is measured once it runs.
    """
    log_start = server.access_log.stat().st_size
    # The form's hidden fields are the same for every reader (its one-time token comes in a
    # cookie with each page): read them once, so that the clients' threads do not spend their
    # time (and hold the GIL) scanning pages of up to 557 KB while other posts are timed.
    page = urllib.request.urlopen(server.base + ARTICLE, timeout=10).read().decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    before = server.cpu_seconds()

    def page_view_and_post(n):
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )
        # A fresh form: the page as a browser gets it (compressed), with its token cookie.
        form = urllib.request.Request(server.base + ARTICLE, headers=GZIP)
        opener.open(form, timeout=10).read()
        data = {
            **fields,
            "name": f"Bench {n}",
            "email": f"bench{n}@example.org",
            "comment": f"Benchmark comment {n}: " + " ".join(WORDS[: 20 + n % 30]),
            "honeypot": "",
        }
        return timed_post(opener, server.base + "/comments/post/", data)

    row = post_in_threads(page_view_and_post, count, connections, warmup)
    cpu = server.cpu_seconds() - before
    server_times = server.post_durations(log_start)[warmup:]
    return {
        **row,
        # Each post also fetched its form: CPU covers both, so it is per form-and-post.
        "cpu_ms_per_request": round(cpu * 1000 / (warmup + count), 2),
        # The same posts as gunicorn timed them (from reading the request to the last byte):
        # a slow post here is slow in the server; one slow only above was slow outside it.
        "server_p50_ms": percentile(server_times, 0.5),
        "server_p99_ms": percentile(server_times, 0.99),
    }


def timed_post(opener, url, data):
    """POST ``data`` as a form (redirects not followed): the status and the milliseconds."""
    body = urllib.parse.urlencode(data).encode()
    started = time.perf_counter()
    try:
        with opener.open(url, body, timeout=10) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def post_in_threads(post, count, connections, warmup):
    """Call ``post(n)`` (which returns the status and milliseconds of a post) for ``warmup``
    and then ``count`` numbers n, from ``connections`` threads at once: posts per second (all
    of them), p50 and p99 of the ``count``, and their statuses. Shared with
    scripts/bench_wordpress.py, so both sites are posted to by the same client."""
    latencies, statuses, lock = [], {}, threading.Lock()
    counter = iter(range(warmup + count))

    def client():
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            status, elapsed = post(n)
            if n < warmup:
                continue
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    # Daemons: a run stopped halfway (Ctrl-C, SIGTERM) exits without waiting for them.
    threads = [threading.Thread(target=client, daemon=True) for _ in range(connections)]
    # This process holds Django and the comments it loaded: its own garbage collections would
    # be timed as the server's latency.
    gc.collect()
    gc.disable()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    gc.enable()
    return {
        "requests_per_s": round((warmup + count) / wall, 1),
        "p50_ms": percentile(latencies, 0.5),
        "p99_ms": percentile(latencies, 0.99),
        "statuses": statuses,
    }


def percentile(values, fraction):
    values = sorted(values)
    return round(values[min(len(values) - 1, round(fraction * (len(values) - 1)))], 2)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def recycling_tail(env, seconds):
    """Cache hits at 1 connection under gunicorn's old worker recycling and the shipped one,
    in alternating rounds: their p99 and maximum latency."""
    old = Server(PORT_OLD_RECYCLING, env, 300, GUNICORN_MAX_REQUESTS="2000", GUNICORN_PRELOAD="0")
    try:
        new = Server(
            PORT_NEW_RECYCLING, env, 300, GUNICORN_MAX_REQUESTS="50000", GUNICORN_PRELOAD="1"
        )
    except BaseException:
        old.stop()
        raise
    try:
        for server in (old, new):
            fetch(server.base + ARTICLE, gzip_ok=True)
        measured = measure(
            [("cache hit, recycled every 2,000 (old)", old, ARTICLE),
             ("cache hit, preloaded, recycled every 50,000", new, ARTICLE)],
            1, seconds, 2,
        )  # fmt: skip
    finally:
        old.stop()
        new.stop()
    for row in measured.values():
        row["cpu_ms_per_request"] = None  # recycled workers take their CPU time with them
    return {(name, 1): row for name, row in measured.items()}


def measure_search(env, args):
    """Search pages with ``--search-articles`` published articles, on one server."""
    from django.db import connection

    from articles.models import Article

    grow_articles(args.search_articles)
    articles = Article.objects.count()
    connection.close()
    server = Server(PORT_OFF, env, 0)
    rows = []
    try:
        targets = [(name, server, path) for name, path in SEARCHES]
        sizes = {}
        for name, _, path in targets:
            raw, headers = fetch(server.base + path, gzip_ok=False)
            packed, _ = fetch(server.base + path, gzip_ok=True)
            sizes[name] = dict(
                bytes_raw=len(raw),
                bytes_gzip=len(packed),
                queries=int(headers.get("X-Query-Count", "0")),
            )
        for connections in (1, 16):
            measured = measure(targets, connections, args.seconds, args.rounds)
            for name, row in measured.items():
                rows.append({"comments": f"{articles} articles", "scenario": name,
                             "connections": connections, **row, **sizes[name],
                             "worker_peak_mb": round(server.peak_memory_mb(), 1),
                             "worker_rss_mb": round(server.rss_mb(), 1)})  # fmt: skip
    finally:
        server.stop()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="0,50,200,1000", help="empty: search only")
    parser.add_argument("--seconds", type=int, default=4, help="wrk seconds per figure")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per figure")
    parser.add_argument("--posts", type=int, default=120, help="comments posted per N")
    parser.add_argument("--approvals", type=int, default=100, help="approvals timed (first N)")
    parser.add_argument(
        "--tail-seconds", type=int, default=20, help="wrk seconds per worker recycling policy"
    )
    parser.add_argument(
        "--spam-list", type=int, default=5000, help="fingerprints for the second posting run"
    )
    parser.add_argument("--search-articles", type=int, default=1000, help="0: no search run")
    parser.add_argument("--out", default=str(ROOT / "bench-results"))
    args = parser.parse_args()

    # The servers purge the shipped Varnish in front of the cache-on one; so does this process
    # (it approves comments), through the task queue and the worker started below.
    os.environ["DJANGO_FRONT_CACHE_VARNISH"] = f"http://127.0.0.1:{PORT_FRONT}"
    env = dict(os.environ)
    reset_database(env["DATABASE_URL"])
    static_root = env["DJANGO_STATIC_ROOT"]
    shutil.rmtree(static_root, ignore_errors=True)
    manage("collectstatic", "--noinput", "-v0")
    manage("migrate", "--noinput", "-v0")
    manage("load_seed")
    django_setup()
    from django.db import connection
    from django.test import Client

    results, approvals = [], None
    # The two workers `make worker` runs: front-cache purges, and email (the moderators'
    # email about held comments, a few a minute, in the same CPU as the web servers).
    workers = []
    for queue, interval in (("frontcache", "0.1"), ("default", "1")):
        command = [sys.executable, "manage.py", "db_worker", "--queue-name", queue,
                   "--interval", interval, "--no-reload"]  # fmt: skip
        workers.append(
            subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
    counts = [int(value) for value in args.counts.split(",") if value]
    for n in counts:
        grow_comments(n)
        connection.close()
        subprocess.run(["redis-cli", "-u", env["REDIS_URL"], "flushdb"], check=True,
                       capture_output=True)  # fmt: skip
        html_raw = Client().get(ARTICLE, HTTP_HOST="127.0.0.1").content
        static_path = write_static_copy(html_raw, static_root, n)
        # In memory where there is a tmpfs: writing ~10 MB of log lines to the disk that holds
        # PostgreSQL's WAL delays its commits (on this machine a commit took up to 87 ms,
        # against 12 ms, while 400 MB were written beside it), and posting would time that.
        log_dir = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(static_root)
        access_log = log_dir / f"nervepain-bench-access-{os.getpid()}.log"
        access_log.write_text("")
        on, off = Server(PORT_ON, env, 300, str(access_log)), Server(PORT_OFF, env, 0)
        workdir = Path(tempfile.mkdtemp(prefix="nervepain-bench-front-"))
        workdir.chmod(0o755)
        front = start_varnish(PORT_FRONT, PORT_ON, workdir)
        nginx = start_nginx(PORT_NGINX, static_root, workdir)
        try:
            rows = {}
            targets = [
                ("article, cache off", off, ARTICLE),
                ("article, cache on", on, ARTICLE),
                ("home page", on, "/"),
                ("static ceiling", on, static_path),
                ("article, front cache (Varnish)", front, ARTICLE),
                ("static file, nginx", nginx, static_path),
            ]
            sizes = {}
            for name, server, path in targets:
                fetch(server.base + path, gzip_ok=False)  # fill the cache, when it is on
                raw, headers = fetch(server.base + path, gzip_ok=False)
                packed, _ = fetch(server.base + path, gzip_ok=True)  # and its gzip copy
                queries = int(headers.get("X-Query-Count", "0"))
                sizes[name] = dict(bytes_raw=len(raw), bytes_gzip=len(packed), queries=queries)
            for connections in (1, 16):
                measured = measure(targets, connections, args.seconds, args.rounds)
                for name, row in measured.items():
                    rows[(name, connections)] = {**row, **sizes[name]}
            rows[("post a comment", 4)] = post_comments(on, args.posts, 4, warmup=12)
            if n == counts[0] and args.spam_list:
                # The spam list a busy site keeps (COMMENTS_SPAM_RETENTION_DAYS of marked spam):
                # a post's check looks similar texts up in an index, whatever the list's length.
                fill_spam_list(args.spam_list)
                connection.close()
                name = f"post a comment, {args.spam_list:,} fingerprints on the spam list"
                rows[(name, 4)] = post_comments(on, args.posts, 4, warmup=12)
            memory = max(on.peak_memory_mb(), off.peak_memory_mb())
            rss = max(on.rss_mb(), off.rss_mb())
            if n == counts[0]:
                approvals = {"comments": n, **approval_to_visible(front, args.approvals)}
                rows.update(recycling_tail(env, args.tail_seconds))
        finally:
            on.stop()
            off.stop()
            front.stop()
            nginx.stop()
            shutil.rmtree(workdir, ignore_errors=True)
            access_log.unlink(missing_ok=True)
        # Take the posted comments out again, so every N is measured with N public comments.
        from comments.models import Comment

        Comment.objects.filter(user_name__startswith="Bench ").delete()
        connection.close()
        for (name, connections), row in rows.items():
            ceiling = rows.get(("static ceiling", connections))
            if ceiling and "recycled" not in name:
                row["share_of_static_rps"] = round(
                    row["requests_per_s"] / ceiling["requests_per_s"], 3
                )
            files = rows.get(("static file, nginx", connections))
            if files and "recycled" not in name:
                row["share_of_nginx_rps"] = round(
                    row["requests_per_s"] / files["requests_per_s"], 3
                )
            results.append({"comments": n, "scenario": name, "connections": connections,
                            "worker_peak_mb": round(memory, 1), "worker_rss_mb": round(rss, 1),
                            **row})  # fmt: skip

    for worker in workers:
        worker.terminate()
        worker.wait(timeout=20)
    if args.search_articles:
        results += measure_search(env, args)

    out = Path(args.out)
    out.mkdir(exist_ok=True)
    (out / "bench.json").write_text(json.dumps({"rows": results, "approvals": approvals}, indent=2))
    lines = [
        "| N | scenario | conns | req/s | x static | x nginx | p50 ms | p99 ms | max ms "
        "| CPU ms/req | queries | bytes raw | bytes gzip |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results:
        share = row.get("share_of_static_rps")
        nginx_share = row.get("share_of_nginx_rps")
        lines.append(
            f"| {row['comments']} | {row['scenario']} | {row['connections']} "
            f"| {row['requests_per_s']} | {share if share is not None else '-'} "
            f"| {nginx_share if nginx_share is not None else '-'} "
            f"| {row['p50_ms']} | {row['p99_ms']} | {row.get('max_ms', '-')} "
            f"| {row['cpu_ms_per_request'] or '-'} "
            f"| {row.get('queries', '-')} | {row.get('bytes_raw', '-')} "
            f"| {row.get('bytes_gzip', '-')} |"
        )
    if approvals:
        lines.append(
            f"\nApproval to visible through Varnish (N = {approvals['comments']}, "
            f"{approvals['approvals']} approvals): median {approvals['median_ms']} ms, "
            f"p99 {approvals['p99_ms']} ms, max {approvals['max_ms']} ms."
        )
    peak = max(row["worker_peak_mb"] for row in results)
    rss = max(row["worker_rss_mb"] for row in results)
    lines.append(f"\nWorker memory: peak {peak} MB, resident after the runs {rss} MB.")
    posts = [row for row in results if row["scenario"].startswith("post a comment")]
    timed = [
        f"N = {r['comments']}{r['scenario'].removeprefix('post a comment')}: "
        f"{r['server_p50_ms']} / {r['server_p99_ms']}"
        for r in posts
    ]
    lines.append(f"Posting as gunicorn timed it (p50 / p99 ms): {', '.join(timed)}.")
    table = "\n".join(lines)
    (out / "bench.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
