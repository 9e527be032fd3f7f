"""The moderation queue: tabs with counts, the cards, the pending badge and its query budget."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import CommentReport
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def tab_texts(page):
    return [" ".join(a.get_text().split()) for a in page.select(".queue-tabs a")]


def test_queue_opens_on_pending_with_live_counts_in_tabs(moderator_client):
    CommentFactory.create_batch(3, state="pending")
    CommentFactory.create_batch(2, state="published")
    CommentFactory(state="spam")
    page = soup(moderator_client.get(CHANGELIST))
    assert tab_texts(page) == [
        "Pending (3)",
        "Published (2)",
        "Spam (1)",
        "Removed (0)",
        "All (6)",
    ]
    assert page.select_one(".queue-tabs a[aria-current=page]").get_text().startswith("Pending")
    assert len(page.select("#result_list .qc")) == 3
    spam_page = soup(moderator_client.get(CHANGELIST, {"state": "spam"}))
    assert spam_page.select_one(".queue-tabs a[aria-current=page]").get_text().startswith("Spam")


def test_counts_above_the_cap_are_shown_as_at_least_but_pending_stays_exact(
    moderator_client, settings
):
    settings.COMMENTS_QUEUE_COUNT_CAP = 2
    CommentFactory.create_batch(4, state="pending")
    CommentFactory.create_batch(3, state="published")
    page = soup(moderator_client.get(CHANGELIST))
    assert tab_texts(page)[:2] == ["Pending (4)", "Published (2+)"]
    assert tab_texts(page)[4] == "All (6+)"


def test_card_shows_whole_text_author_article_reason_and_time(moderator_client):
    article = ArticleFactory(title="Burning feet at night: causes and what helps most")
    parent = CommentFactory(
        article=article, user_name="Maria", comment="Burning feet every night.\nSince chemo."
    )
    reply = CommentFactory(
        article=article,
        parent=parent,
        state="pending",
        reason="hold_word",
        reason_detail="pills",
        user_name="Tom",
        user_email="tom@example.org",
        user_url="https://tom.example",
        ip_address="198.51.100.7",
        comment="Cold water helps me a little, and so does a fan at the foot of the bed.",
    )
    card = soup(moderator_client.get(CHANGELIST)).select_one(f"#qc-{reply.pk}")
    text = " ".join(card.get_text().split())
    assert "Cold water helps me a little, and so does a fan at the foot of the bed." in text
    assert "In reply to Maria: Burning feet every night." in text
    assert card.select_one(".qc-parent a")["href"] == f"{CHANGELIST}{parent.pk}/change/"
    link = card.find("a", title=article.title)
    assert link["href"] == f"{article.get_absolute_url()}#c{reply.pk}"
    assert "Held: Matches the hold list (pills)" in text
    for shown in ("Tom", "tom@example.org", "https://tom.example", "198.51.100.7"):
        assert shown in text
    time = card.find("time")
    assert time.get_text() == "just now"
    assert re.search(r"\d{4}, \d\d:\d\d", time["title"])


def test_long_text_is_folded_at_a_word_with_the_whole_text_behind_show_more(moderator_client):
    words = " ".join(f"word{n}" for n in range(200))
    comment = CommentFactory(state="pending", comment=words)
    card = soup(moderator_client.get(CHANGELIST)).select_one(f"#qc-{comment.pk}")
    preview = card.select_one(".qc-preview").get_text()
    assert preview.endswith("word59…")
    assert card.select_one(".qc-more summary .qc-more-label").get_text() == "Show more"
    assert "word199" in card.select_one(".qc-full").get_text()


def test_a_long_comments_preview_keeps_its_paragraphs(moderator_client):
    """The preview ran the paragraphs together into one: a moderator read "...some of it.
    First, the medication" as one sentence."""
    first = "I have had nerve pain for <six> years and want to share what helped me. " * 2
    second = "First, the medication helped at night but made me drowsy. " * 2
    third = "Second, the physical therapy. " * 40
    text = f"{first.strip()}\n\n{second.strip()}\n\n{third.strip()}"
    comment = CommentFactory(state="pending", comment=text)
    card = soup(moderator_client.get(CHANGELIST)).select_one(f"#qc-{comment.pk}")
    paragraphs = [p.get_text() for p in card.select(".qc-preview p")]
    assert len(paragraphs) == 3
    assert paragraphs[0] == first.strip()  # escaped: <six> is text, not a tag
    assert paragraphs[1] == second.strip()
    assert paragraphs[2].startswith("Second, the physical therapy.")
    assert paragraphs[2].endswith("…")
    words = " ".join(paragraphs).split()
    assert len(words) == 60
    summary = card.select_one(".qc-more summary")
    assert summary.select_one(".qc-more-label").get_text() == "Show more"
    assert summary.select_one(".qc-less-label").get_text() == "Show less"


def test_all_from_this_email_and_from_this_ip_filter_the_queue(moderator_client):
    mine = CommentFactory(state="pending", user_email="same@example.org", ip_address="203.0.113.5")
    old = CommentFactory(state="published", user_email="same@example.org", ip_address="192.0.2.1")
    CommentFactory(state="pending", user_email="other@example.org", ip_address="192.0.2.2")
    card = soup(moderator_client.get(CHANGELIST)).select_one(f"#qc-{mine.pk}")
    by_email = card.find("a", string="All from this email")["href"]
    by_ip = card.find("a", string="From this IP")["href"]
    assert by_email.startswith(CHANGELIST + "?")  # the queue's own address (cards go elsewhere)
    email_rows = moderator_client.get(by_email).context["cl"].result_list
    assert set(email_rows) == {mine, old}
    assert list(moderator_client.get(by_ip).context["cl"].result_list) == [mine]


def test_a_list_narrowed_to_one_email_or_ip_says_so_and_tabs_keep_it(moderator_client):
    """The filter panel does not show "All from this email" or "From this IP": a line above
    the list does, with a link back to everyone's; changing tabs keeps the list narrowed, as
    it keeps the search, the reason and the article."""
    CommentFactory(state="published", user_email="same@example.org")
    params = {"state": "all", "user_email": "same@example.org", "reason__exact": "links", "q": "x"}
    page = soup(moderator_client.get(CHANGELIST, params))
    line = page.select_one(".queue-narrowed")
    assert " ".join(line.get_text().split()) == (
        "Only comments from the email same@example.org. Show everyone's"
    )
    assert line.a["href"] == "?state=all&reason__exact=links&q=x"
    spam_tab = page.select_one('.queue-tabs a[data-state="spam"]')["href"]
    assert spam_tab == "?user_email=same%40example.org&reason__exact=links&q=x&state=spam"
    by_ip = soup(moderator_client.get(CHANGELIST, {"ip_address": "192.0.2.9"}))
    assert "from the IP address 192.0.2.9" in by_ip.select_one(".queue-narrowed").get_text()
    assert not soup(moderator_client.get(CHANGELIST)).select(".queue-narrowed")


def test_a_list_narrowed_to_one_article_names_it(moderator_client):
    """The Articles list's Comments column links here; the filter panel lists only the first
    100 articles, and a phone shows it below the list."""
    article = ArticleFactory(title="Burning feet at night")
    CommentFactory(article=article, state="pending")
    page = soup(moderator_client.get(CHANGELIST, {"article": str(article.pk), "state": "pending"}))
    line = page.select_one(".queue-narrowed")
    assert " ".join(line.get_text().split()) == (
        "Only comments on Burning feet at night. Show every article's"
    )
    assert line.a["href"] == "?state=pending"
    unknown = soup(moderator_client.get(CHANGELIST, {"article": "x"})).select_one(".queue-narrowed")
    assert "Only comments on x." in unknown.get_text()


def test_an_empty_tab_says_so_instead_of_an_empty_table(moderator_client):
    CommentFactory(state="published")
    page = soup(moderator_client.get(CHANGELIST))
    empty = page.select_one(".queue-empty")
    assert empty.get_text(strip=True) == "No comments are waiting for moderation."
    assert empty.a is None
    # No bulk actions, table or "0 comments" over nothing.
    assert not page.select("#result_list, .actions, .paginator")
    spam = soup(moderator_client.get(CHANGELIST, {"state": "spam"})).select_one(".queue-empty")
    assert spam.get_text(strip=True) == "No comments marked as spam."
    assert soup(moderator_client.get(CHANGELIST, {"state": "published"})).select("#result_list")


def test_a_search_that_finds_nothing_offers_to_clear_it(moderator_client):
    CommentFactory(state="pending", comment="Ice helped.")
    page = soup(moderator_client.get(CHANGELIST, {"state": "pending", "q": "heat"}))
    empty = page.select_one(".queue-empty")
    assert empty.p.get_text() == ("No comments waiting for moderation match this search or filter.")
    assert empty.a.get_text() == "Clear the search and filters"
    assert empty.a["href"] == "?state=pending"


def test_row_actions_that_apply_to_each_state(moderator_client):
    expected = {
        "pending": ["Approve", "Spam", "Remove", "Reply", "Open"],
        "published": ["Unapprove", "Spam", "Remove", "Reply", "Open"],
        "spam": ["Approve", "Not spam", "Remove", "Open"],
        "removed": ["Approve", "Restore", "Spam", "Open"],
    }
    for state, labels in expected.items():
        comment = CommentFactory(state=state)
        page = soup(moderator_client.get(CHANGELIST, {"state": state}))
        buttons = page.select_one(f"#qc-{comment.pk} .qc-actions")
        names = [b.get_text() for b in buttons.select("button.qc-btn:not(.qc-send), summary, a")]
        assert names == labels, state


def test_the_queue_query_count_does_not_grow_with_rows(moderator_client, django_assert_num_queries):
    """A full page of 20 comments costs what a page of 2 does: articles, parents and the
    moderator are fetched once per page, not once per row."""
    article = ArticleFactory()
    parent = CommentFactory(article=article, state="published")
    CommentFactory.create_batch(2, article=article, parent=parent, state="pending")
    with CaptureQueriesContext(connection) as small:
        moderator_client.get(CHANGELIST)
    CommentFactory.create_batch(30, article=article, parent=parent, state="pending")
    CommentFactory.create_batch(18, article=ArticleFactory(), state="pending")
    with django_assert_num_queries(len(small.captured_queries)):
        response = moderator_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 20


def test_pending_badge_on_every_admin_page_in_one_query(moderator_client):
    CommentFactory.create_batch(4, state="pending")
    for url in ("/admin/", "/admin/comments/moderationword/", CHANGELIST):
        page = soup(moderator_client.get(url))
        badges = page.select(".nav-badge")
        assert badges, url
        assert all(b.get_text() == "4 waiting" for b in badges), url


def test_pending_badge_is_one_count_per_page(moderator_client):
    """The sidebar and the index's app list share one count."""
    CommentFactory(state="pending")
    with CaptureQueriesContext(connection) as queries:
        moderator_client.get("/admin/")
    pending_counts = [
        q["sql"] for q in queries.captured_queries if "COUNT" in q["sql"] and "pending" in q["sql"]
    ]
    assert len(pending_counts) == 1


def test_no_badge_for_staff_who_cannot_see_comments(client):
    CommentFactory(state="pending")
    editor = UserFactory(is_staff=True)
    client.force_login(editor)
    assert not soup(client.get("/admin/")).select(".nav-badge")


def test_paging_counts_stop_at_the_cap(moderator_client, settings):
    """Past the cap the queue does not count every row (a million published comments)."""
    settings.COMMENTS_QUEUE_COUNT_CAP = 3
    CommentFactory.create_batch(5, state="published")
    changelist = moderator_client.get(CHANGELIST, {"state": "published"}).context["cl"]
    assert changelist.result_count == 4


def test_a_comment_sent_back_to_pending_says_who_did_it_not_why_it_was_published(
    moderator_client, moderator
):
    """Unapproving a trusted commenter's comment is a moderator's decision: the card said
    "Held: Returning approved commenter", the reason it had been published."""
    comment = CommentFactory(state="published", reason="trusted", user_name="Maria")
    moderator_client.post(f"{CHANGELIST}{comment.pk}/moderate/unapprove/")
    card = soup(moderator_client.get(CHANGELIST)).select_one(f"#qc-{comment.pk}")
    text = " ".join(card.get_text().split())
    assert f"Sent back to pending by {moderator.username}" in text
    assert "Held:" not in text
    assert card.select_one(".qc-reason").get_text() == "Returning approved commenter"


def test_a_comment_whose_reply_is_in_the_queue_too_is_not_shown_replying_to_itself(
    moderator_client,
):
    """A thread's first comment has itself as parent (django-comments-xtd): when its reply
    shared the page, its card read "In reply to Priya" under Priya's own comment."""
    first = CommentFactory(state="pending", user_name="Priya", comment="Sharp pain: stop?")
    reply = CommentFactory(
        article=first.content_object, parent=first, state="pending", comment="Same here."
    )
    page = soup(moderator_client.get(CHANGELIST))
    assert page.select_one(f"#qc-{first.pk} .qc-parent") is None
    assert " ".join(page.select_one(f"#qc-{reply.pk} .qc-parent").get_text().split()) == (
        "In reply to Priya: Sharp pain: stop?"
    )


def test_a_cards_reports_say_which_came_since_the_last_decision(moderator_client, moderator):
    """A comment approved after two reports and reported once more: its card says "3 reports,
    1 new", as the held comment's email counts only the one since the decision, not three
    that look unanswered."""
    now = timezone.now()
    before = now - datetime.timedelta(days=2)
    decided = CommentFactory(
        state="pending", moderated_at=now - datetime.timedelta(days=1), moderated_by=moderator
    )
    fresh = CommentFactory(state="pending")
    for key in ("a", "b"):
        CommentReport.objects.create(
            comment=decided, reason="spam", reporter_key_hash=key, created_at=before
        )
    CommentReport.objects.create(comment=decided, reason="abusive", reporter_key_hash="c")
    CommentReport.objects.create(comment=fresh, reason="spam", reporter_key_hash="d")
    # A report older than the decision that has since become a worry is new.
    worry = CommentFactory(
        state="published", moderated_at=now - datetime.timedelta(days=1), moderated_by=moderator
    )
    CommentReport.objects.create(
        comment=worry, reason="worried", reporter_key_hash="e", created_at=before, worried_at=now
    )
    CommentReport.objects.create(
        comment=worry, reason="spam", reporter_key_hash="f", created_at=before
    )
    page = soup(moderator_client.get(CHANGELIST))
    assert page.select_one(f"#qc-{decided.pk} .qc-reports").get_text() == "3 reports, 1 new"
    assert page.select_one(f"#qc-{fresh.pk} .qc-reports").get_text() == "1 report"
    page = soup(moderator_client.get(CHANGELIST, {"state": "published"}))
    assert page.select_one(f"#qc-{worry.pk} .qc-reports").get_text() == "2 reports, 1 new"
    CommentReport.objects.filter(comment=decided, reporter_key_hash="c").delete()
    page = soup(moderator_client.get(CHANGELIST))
    assert page.select_one(f"#qc-{decided.pk} .qc-reports").get_text() == "2 reports, none new"


def test_a_comment_held_by_readers_reports_shows_them_as_they_are(moderator_client, moderator):
    """Readers' reports holding a comment are a decision, so the card of a comment they had
    just held read "3 reports, none new": the reports that hold it are what a moderator has
    not seen. It says "3 reports", as the comment's page lists them without "none new". A
    moderator's decision after them tells the next ones apart again."""
    from comments import controls

    comment = CommentFactory(state="published", comment="Calls everyone idiots.")
    for key in ("a", "b", "c"):
        controls.report(comment, key, "abusive")
    comment.refresh_from_db()
    assert comment.state == "pending" and comment.moderated_by is None
    assert (
        soup(moderator_client.get(CHANGELIST))
        .select_one(f"#qc-{comment.pk} .qc-reports")
        .get_text()
        == "3 reports"
    )
    page = soup(moderator_client.get(f"{CHANGELIST}{comment.pk}/change/"))
    assert page.select_one(".field-readers_reports a").get_text() == "Abusive or hurtful: 3"
    comment.moderate("published", moderator)
    controls.report(comment, "d", "spam")
    assert (
        soup(moderator_client.get(CHANGELIST, {"state": "published"}))
        .select_one(f"#qc-{comment.pk} .qc-reports")
        .get_text()
        == "4 reports, 1 new"
    )


def test_the_queue_marks_its_current_page_and_links_the_others(moderator_client):
    """The paginator's current page is marked as such (aria-current), not just the one number
    without a link; every other page is a link."""
    CommentFactory.create_batch(45, article=ArticleFactory(), state="pending")
    for number in (1, 2):
        params = {"p": number} if number > 1 else {}
        paginator = soup(moderator_client.get(CHANGELIST, params)).select_one(".paginator")
        [current] = paginator.select('[aria-current="page"]')
        assert current.get_text() == str(number)
        assert current.name != "a"
        links = [a.get_text() for a in paginator.select("a:not(.showall)")]
        assert links == [str(n) for n in (1, 2, 3) if n != number]


def test_a_reply_at_the_deepest_level_names_the_comment_it_answers_everywhere(
    moderator_client,
):
    """A reply to a third-level comment is placed beside it, under its parent: the page and
    the emails said "In reply to Tom K.", while the queue card, the email link's page, the
    comment's page and the writer's export named the parent, Ellen."""
    from comments.privacy import export_commenter

    top = CommentFactory(user_name="Maria", comment="Did stretching help anyone?")
    ellen = CommentFactory(
        article=top.content_object, parent=top, user_name="Ellen", comment="It settled."
    )
    tom = CommentFactory(
        article=top.content_object, parent=ellen, user_name="Tom K.", comment="That gives hope."
    )
    reply = CommentFactory(
        article=top.content_object, parent=ellen, replied_to=tom.pk, state="pending",
        user_name="Ann", user_email="ann@example.org", comment="Me too, Tom.",
    )  # fmt: skip
    card = soup(moderator_client.get(CHANGELIST)).select_one(f"#qc-{reply.pk} .qc-parent")
    assert " ".join(card.get_text().split()) == "In reply to Tom K.: That gives hope."
    assert card.a["href"] == f"{CHANGELIST}{tom.pk}/change/"

    thread = soup(moderator_client.get(f"{CHANGELIST}{reply.pk}/change/")).select_one(
        ".comment-thread"
    )
    answered = thread.find("h3", string="In reply to").find_next(class_="thread-item")
    assert "Tom K." in answered.get_text() and "Ellen" not in answered.get_text()
    # Tom's page lists it among the replies to him; Ellen's does not.
    for comment, listed in ((tom, True), (ellen, False)):
        page = soup(moderator_client.get(f"{CHANGELIST}{comment.pk}/change/"))
        replies = page.select_one(".comment-thread").find("h3", string=re.compile("Replies"))
        shown = [item.get_text() for item in replies.find_next_siblings(class_="thread-item")]
        assert any("Me too, Tom." in text for text in shown) is listed
    [exported] = export_commenter("ann@example.org")["comments"]
    assert exported["in_reply_to"] == tom.pk
