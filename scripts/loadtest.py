"""A bounded mixed load against the production configuration, then a check of the database.

Started by `make loadtest`, which runs gunicorn with `make serve`'s settings on its own
PostgreSQL database. For --seconds (default 60): readers fetch the home and article pages,
commenters fetch the form, take the time a person would, and post (some send the same form
twice, as a double click does), a moderator approves the queue. Then it reports requests,
errors and latency percentiles, and checks that every comment the site accepted is in the
database exactly once. Exit status 1 if any 5xx answer or any lost or duplicated comment.
Traffic goes to loopback only.
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict

ARTICLE = "/articles/why-does-nerve-pain-get-worse-after-physical-therapy/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    def __init__(self, base, forwarded_for=None):
        self.base = base
        self.forwarded_for = forwarded_for
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if self.forwarded_for:
            request.add_header("X-Forwarded-For", self.forwarded_for)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, headers, text = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, text = error.code, error.headers, error.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            status, headers, text = 0, {}, str(error).encode()
        return status, headers, text.decode(errors="replace"), time.perf_counter() - started


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.statuses = defaultdict(lambda: defaultdict(int))
        self.accepted = {}  # comment text (unique per form) -> comment id, or -1 if two ids

    def record(self, kind, status, seconds):
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1


def hidden_fields(html):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def reader(base, stats, stop):
    client = Client(base)
    while not stop.is_set():
        path = random.choice([ARTICLE, ARTICLE, ARTICLE, "/"])
        status, _, _, seconds = client.request(path)
        stats.record("read " + ("article" if path == ARTICLE else "home"), status, seconds)


def commenter(base, stats, stop, number, think_seconds):
    n = 0
    while not stop.is_set():
        n += 1
        address = f"198.18.{number}.{n % 250 + 1}"
        client = Client(base, forwarded_for=address)
        status, _, page, seconds = client.request(ARTICLE)
        stats.record("comment form", status, seconds)
        fields = hidden_fields(page)
        if status != 200 or "object_pk" not in fields:
            continue
        if stop.wait(think_seconds):
            break
        text = f"Load test comment {number}-{n}: physio made my nerve pain flare, then it eased."
        data = {
            **fields,
            "name": f"Reader {number}",
            "email": f"reader{number}.{n}@example.org",
            "comment": text,
            "honeypot": "",
        }
        sends = 2 if n % 5 == 0 else 1  # every fifth form is sent twice, like a double click
        for _ in range(sends):
            status, headers, _, seconds = client.request("/comments/post/", data)
            stats.record("comment post", status, seconds)
            if status == 303:
                comment_id = int(headers["Location"].rsplit("#c", 1)[1])
                with stats.lock:
                    previous = stats.accepted.get(text)
                    two_ids = previous is not None and previous != comment_id
                    stats.accepted[text] = -1 if two_ids else comment_id


def moderator(base, stats, stop, username, password, admin_path):
    client = Client(base)
    status, _, page, _ = client.request(f"/{admin_path}login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, _, _, _ = client.request(
        f"/{admin_path}login/?next=/{admin_path}",
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
    )
    if status != 302:
        print(f"moderator could not log in (status {status})", file=sys.stderr)
        return
    while not stop.wait(2):
        status, _, queue, seconds = client.request(f"/{admin_path}comments/comment/")
        stats.record("moderate queue", status, seconds)
        ids = re.findall(r'name="_selected_action" value="(\d+)"', queue)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', queue)
        if not ids or not match:
            continue
        data = {"csrfmiddlewaretoken": match.group(1), "action": "approve", "_selected_action": ids}
        status, _, _, seconds = client.request(f"/{admin_path}comments/comment/", data)
        stats.record("moderate approve", status, seconds)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def check_database(stats):
    import django

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nervepain.settings")
    django.setup()
    from comments.models import Comment

    lost, duplicated, mismatched = [], [], []
    for text, comment_id in stats.accepted.items():
        rows = list(Comment.objects.filter(comment=text).values_list("pk", flat=True))
        if comment_id == -1 or len(rows) > 1:
            duplicated.append(text)
        elif not rows:
            lost.append(text)
        elif rows[0] != comment_id:
            mismatched.append(text)
    stray = Comment.objects.filter(comment__startswith="Load test comment").exclude(
        comment__in=list(stats.accepted)
    )
    return {
        "accepted": len(stats.accepted),
        "lost": len(lost),
        "duplicated": len(duplicated),
        "mismatched": len(mismatched),
        "stored_but_not_acknowledged": stray.count(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--readers", type=int, default=12)
    parser.add_argument("--commenters", type=int, default=4)
    parser.add_argument("--think", type=float, default=3.5, help="seconds between form and post")
    parser.add_argument("--moderator", default="loadtest-moderator")
    parser.add_argument("--password", default=os.environ.get("LOADTEST_PASSWORD", ""))
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    admin_path = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

    stats, stop = Stats(), threading.Event()
    threads = [
        threading.Thread(target=reader, args=(args.base, stats, stop)) for _ in range(args.readers)
    ]
    threads += [
        threading.Thread(target=commenter, args=(args.base, stats, stop, n, args.think))
        for n in range(args.commenters)
    ]
    threads.append(
        threading.Thread(
            target=moderator,
            args=(args.base, stats, stop, args.moderator, args.password, admin_path),
        )
    )
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(args.seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    rows, total, server_errors = [], 0, 0
    for kind in sorted(stats.latencies):
        values = stats.latencies[kind]
        statuses = dict(sorted(stats.statuses[kind].items()))
        total += len(values)
        server_errors += sum(n for status, n in statuses.items() if status >= 500 or status == 0)
        rows.append(
            {
                "kind": kind,
                "requests": len(values),
                "statuses": statuses,
                "p50_ms": round(percentile(values, 0.50) * 1000, 1),
                "p95_ms": round(percentile(values, 0.95) * 1000, 1),
                "p99_ms": round(percentile(values, 0.99) * 1000, 1),
            }
        )
    everything = [v for values in stats.latencies.values() for v in values]
    database = check_database(stats)
    rate = total / elapsed
    print(f"\n{total} requests in {elapsed:.0f} s ({rate:.0f}/s), {server_errors} 5xx or failed")
    p50, p95, p99 = (percentile(everything, f) * 1000 for f in (0.5, 0.95, 0.99))
    print(f"all requests: p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms\n")
    print("| kind | requests | statuses | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---|---:|---:|---:|")
    for row in rows:
        statuses = ", ".join(f"{s}: {n}" for s, n in row["statuses"].items())
        cells = [
            row["kind"],
            row["requests"],
            statuses,
            row["p50_ms"],
            row["p95_ms"],
            row["p99_ms"],
        ]
        print("| " + " | ".join(str(cell) for cell in cells) + " |")
    print(f"\ndatabase check: {json.dumps(database)}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"seconds": elapsed, "rows": rows, "database": database}, handle, indent=2)
    failed = server_errors or database["lost"] or database["duplicated"] or database["mismatched"]
    failed = failed or database["stored_but_not_acknowledged"] or not database["accepted"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
