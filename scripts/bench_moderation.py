"""`make bench-moderation` (part of `make bench`): the moderation queue on a big site.

1,000,000 comments over 5,000 articles in PostgreSQL (500 pending, 10,000 spam, 5,000 removed,
the rest published; a fifth are replies), written with generate_series in a few seconds. Then,
with `make serve`'s settings, a logged-in moderator's requests go through Django's whole stack
in this process (the test client: middleware, views, templates, no network):

- the queue page with its tab counts: Pending (the default), Published, Spam, All;
- a row action answered with the row's fragment (approve, then unapprove to reset);
- the email link's confirmation page; the article page with its held comments in place.

Reported for each: p50, p95 and max milliseconds over the runs, Django's CPU milliseconds (this
process only; PostgreSQL's time is the rest), and queries per request. A
Markdown table goes to stdout and bench-results/moderation.md. Benchmarks are not tests:
nothing here asserts a timing; the targets (queue < 300 ms, row action < 100 ms) are printed
beside the figures.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.bench import django_setup, manage, reset_database  # noqa: E402

ARTICLES, COMMENTS, PENDING = 5_000, 1_000_000, 500
# g % 2000 = 0 is pending (500 of 1,000,000), g % 100 = 1 spam, g % 200 = 2 removed.
# (%% because the queries take parameters.)
STATE_SQL = (
    "CASE WHEN g %% 2000 = 0 THEN 'pending' WHEN g %% 100 = 1 THEN 'spam' "
    "WHEN g %% 200 = 2 THEN 'removed' ELSE 'published' END"
)


def generate(cursor, content_type: int):
    """Articles and comments with generate_series, in one transaction per table."""
    cursor.execute(
        """
        INSERT INTO articles_article (title, slug, summary, body, body_html, status,
            published_at, allow_comments, moderate_all_comments, created_at, updated_at, toc,
            word_count, search_headings, search_text, search_topics, featured_image,
            featured_image_alt)
        SELECT 'Bench article ' || g || ': living with nerve pain, week by week',
            'bench-article-' || g, '', 'Body.', '<p>Body.</p>', 'published',
            now() - interval '30 days', true, false, now(), now(), '[]'::jsonb, 2, '', 'Body.',
            '', '', ''
        FROM generate_series(1, %s) g
        """,
        [ARTICLES],
    )
    cursor.execute("SELECT min(id) FROM articles_article WHERE slug LIKE 'bench-article-%%'")
    first = cursor.fetchone()[0]
    # Every fifth comment replies to the one before it (same article, one level down).
    cursor.execute(
        """
        INSERT INTO django_comments (id, object_pk, user_name, user_email, user_url, comment,
            submit_date, ip_address, is_public, is_removed, content_type_id, site_id)
        SELECT g, (%s + ((g - (g %% 5 = 0)::int) %% %s))::text, 'Reader ' || g,
            'reader' || (g %% 50000) || '@example.org', '',
            'My nerve pain eased after a week of gentler glides, number ' || g || E'.\n\n'
                || 'Ice helped more than heat; I told my physiotherapist which exercises '
                || 'flared it up.',
            now() - ((%s - g) || ' seconds')::interval,
            ('10.' || (g %% 250) || '.' || (g / 250 %% 250) || '.1')::inet,
            """
        + STATE_SQL
        + """ = 'published', """
        + STATE_SQL
        + """ = 'removed', %s, 1
        FROM generate_series(1, %s) g
        """,
        [first, ARTICLES, COMMENTS, content_type, COMMENTS],
    )
    cursor.execute(
        """
        INSERT INTO django_comments_xtd_xtdcomment (comment_ptr_id, thread_id, parent_id, level,
            "order", followup, nested_count)
        SELECT g, CASE WHEN g %% 5 = 0 THEN g - 1 ELSE g END,
            CASE WHEN g %% 5 = 0 THEN g - 1 ELSE g END,
            (g %% 5 = 0)::int, (g %% 5 = 0)::int + 1, false, 0
        FROM generate_series(1, %s) g
        """,
        [COMMENTS],
    )
    cursor.execute(
        """
        INSERT INTO comments_comment (xtdcomment_ptr_id, state, reason, reason_detail,
            comment_html, from_site, commenter_key_hash, urgent, site_note)
        SELECT g, """
        + STATE_SQL
        + """, CASE WHEN g %% 2000 = 0 THEN 'not_trusted' ELSE '' END, '',
            '<p>My nerve pain eased after a week of gentler glides, number ' || g || '.</p>'
                || '<p>Ice helped more than heat.</p>', false, '', false, ''
        FROM generate_series(1, %s) g
        """,
        [COMMENTS],
    )
    cursor.execute("SELECT setval('django_comments_id_seq', %s)", [COMMENTS])


def timed(label, runs, call, results, target=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm: templates, connections
    times, cpu, queries = [], [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = call()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code in (200, 302), (label, response.status_code)
        queries = len(captured.captured_queries)
    times.sort()
    results.append(
        {
            "scenario": label,
            "runs": runs,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            "max_ms": round(times[-1], 1),
            # Django's own CPU time (this process), apart from waiting on PostgreSQL and Redis:
            # steadier than the wall clock on a shared machine.
            "django_cpu_ms": round(statistics.median(cpu), 1),
            "queries": queries,
            "target_ms": target,
        }
    )
    print(results[-1], flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="keep an already generated database")
    parser.add_argument("--out", default=str(ROOT / "bench-results"))
    args = parser.parse_args()

    manage("collectstatic", "--noinput", "-v0")
    if not args.reuse:
        reset_database(os.environ["DATABASE_URL"])
        manage("migrate", "--noinput", "-v0")
    django_setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from articles.models import Article
    from comments import decisions
    from comments.models import Comment

    if not args.reuse:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            generate(cursor, ContentType.objects.get_for_model(Article).pk)
        connection.close()
        with connection.cursor() as cursor:  # outside a transaction: VACUUM refuses one
            cursor.execute("VACUUM ANALYZE")
        print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)
    subprocess.run(["redis-cli", "-u", os.environ["REDIS_URL"], "flushdb"], check=True,
                   capture_output=True)  # fmt: skip

    user, _ = get_user_model().objects.get_or_create(
        username="bench-moderator", defaults={"is_staff": True, "email": "bench@example.org"}
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    queue = "/admin/comments/comment/"
    pending = Comment.objects.pending().order_by("-submit_date").first()
    counts = dict(Comment.objects.order_by().values_list("state").annotate(n=Count("pk")))
    print("states:", counts, flush=True)

    results = []
    timed("queue: Pending (opens here), with tab counts", args.runs,
          lambda: client.get(queue), results, 300)  # fmt: skip
    timed("queue: Published tab", args.runs,
          lambda: client.get(queue, {"state": "published"}), results, 300)  # fmt: skip
    timed("queue: Spam tab", args.runs,
          lambda: client.get(queue, {"state": "spam"}), results, 300)  # fmt: skip
    timed("queue: All tab", args.runs,
          lambda: client.get(queue, {"state": "all"}), results, 300)  # fmt: skip
    timed("queue: all from one email", args.runs,
          lambda: client.get(queue, {"state": "all", "user_email": pending.user_email}),
          results, 300)  # fmt: skip

    flip = {"n": 0}

    def row_action():
        flip["n"] += 1
        action = "approve" if flip["n"] % 2 else "unapprove"
        return client.post(f"{queue}{pending.pk}/moderate/{action}/", HTTP_X_FRAGMENT="row")

    timed("row action (approve / unapprove), fragment", args.runs * 2, row_action, results, 100)
    Comment.objects.filter(pk=pending.pk).update(state="pending")
    token = decisions.email_token(pending.pk, "approve")
    timed("email link: confirmation page", args.runs,
          lambda: client.get(f"{queue}email/{token}/"), results, 300)  # fmt: skip
    article = pending.content_object
    timed("article page, moderator (held comments in place)", args.runs,
          lambda: client.get(article.get_absolute_url()), results)  # fmt: skip

    out = Path(args.out)
    out.mkdir(exist_ok=True)
    summary = {"states": counts, "results": results}
    (out / "moderation.json").write_text(json.dumps(summary, indent=2))
    lines = [
        f"{sum(counts.values()):,} comments over {ARTICLES:,} articles "
        f"({counts.get('pending', 0)} pending), PostgreSQL, in-process requests.",
        "",
        "| scenario | p50 ms | p95 ms | max ms | Django CPU ms (p50) | queries | target ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results:
        lines.append(
            f"| {row['scenario']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} "
            f"| {row['django_cpu_ms']} | {row['queries']} | {row['target_ms'] or '-'} |"
        )
    table = "\n".join(lines)
    (out / "moderation.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
