"""Someone in crisis: held and urgent whoever they are, moderators mailed at once, the writer
shown crisis resources, and nothing of it ever shown to anyone else."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.exceptions import ValidationError

from comments import notifications
from comments.health import matching_phrases, normalise_phrase_text
from comments.models import Comment, CrisisPhrase, CrisisSupport, TrustedCommenter
from tests.comments.conftest import form_data, send
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CRISIS_TEXT = "Honestly some nights I want to die, the pain never stops."


def latest():
    return Comment.objects.latest("submit_date", "pk")


def test_english_defaults_are_installed():
    """A fresh site starts with English crisis phrases and the support text's one row."""
    assert CrisisPhrase.objects.filter(language="en", phrase="kill myself").exists()
    assert CrisisPhrase.objects.count() >= 20
    assert "local emergency number" in CrisisSupport.current().message


@pytest.mark.parametrize(
    "text",
    [
        "I WANT TO DIE",
        "i  want\nto   die.",
        "Some days I don\u2019t want to live anymore",
        "I want to\u200b die",  # an invisible character does not hide it
        "\uff49 want to die",  # full-width letters fold to plain ones
        "some days i dont want to live anymore",  # typed on a phone, without the apostrophe
        "They said 'want to die' was just a phrase",  # in single quotes
        "Some days I don\u00b4t want to live anymore",  # the acute accent key, as on AZERTY
        "Some days I don\u2032t want to live anymore",  # a prime
    ],
)
def test_phrases_match_after_normalisation(text):
    phrases = ["want to die", "don't want to live"]
    assert matching_phrases(text, phrases)


def test_the_shipped_phrases_match_without_their_apostrophes(post, article):
    """ "I cant go on", typed on a phone, matched nothing: the phrase is "can't go on". The
    writer saw no support and no moderator was told at once. The queue marks the words as
    typed, and a phrase listed without its apostrophe is the same phrase."""
    from comments.health import highlight

    post(article, comment="Honestly some days I cant go on like this")
    comment = latest()
    assert (comment.urgent, comment.reason_detail) == (True, "can't go on")
    assert "<mark>cant go on</mark>" in highlight(comment.comment, ["can't go on"])
    assert "<mark>can\u2019t go on</mark>" in highlight("I can\u2019t go on", ["cant go on"])
    assert "<mark>can\u00b4t go on</mark>" in highlight("I can\u00b4t go on", ["can't go on"])
    post(article, comment="Some nights I can not go on, the pain is too much.")
    assert latest().reason_detail == "cannot go on"  # the shipped phrase, as "can not"
    assert "<mark>can not go on</mark>" in highlight("I can not go on", ["cannot go on"])
    with pytest.raises(ValidationError, match="can't go on"):
        CrisisPhrase(phrase="cant go on", language="en").full_clean()


def test_phrases_match_whole_words_only():
    assert matching_phrases("my diet helps", ["die"]) == []
    assert normalise_phrase_text("Self-harm!") == " self harm "


def test_crisis_comment_is_held_urgent_even_from_a_trusted_commenter(client, post, article):
    post(article)
    key_hash = latest().commenter_key_hash
    TrustedCommenter.objects.create(
        key_hash=key_hash, email="ann@example.org", name=latest().user_name
    )
    post(article, comment="Thanks, the physio tip helped.")
    assert latest().state == Comment.State.PUBLISHED  # trusted: published at once

    post(article, comment=CRISIS_TEXT)
    comment = latest()
    assert comment.state == Comment.State.PENDING
    assert comment.urgent is True
    assert comment.reason == Comment.Reason.CRISIS
    assert comment.reason_detail == "want to die"


def test_other_languages_are_phrases_like_any_other(post, article):
    CrisisPhrase.objects.create(phrase="quiero morir", language="es")
    post(article, comment="A veces quiero morir.")
    assert latest().urgent


def test_ordinary_comment_is_not_urgent(post, article):
    post(article, comment="Trigeminal neuralgia is called the suicide disease, sadly.")
    assert latest().urgent is False
    assert latest().reason == Comment.Reason.NOT_TRUSTED


def test_urgent_comments_come_first_in_the_queue(moderator_client):
    older_urgent = CommentFactory(state="pending", urgent=True)
    CommentFactory(state="pending", comment="newer, ordinary")
    assert Comment.objects.pending().queue_order().first() == older_urgent
    page = BeautifulSoup(moderator_client.get("/admin/comments/comment/").content, "html.parser")
    first_row = page.select_one("#result_list tbody tr")
    assert first_row.select_one("input.action-select")["value"] == str(older_urgent.pk)


def test_moderators_are_mailed_at_once_with_urgent_in_the_subject(
    client, article, moderator, django_capture_on_commit_callbacks, monkeypatch
):
    # The limit counts per clock minute: posts sent across a minute's end fall in two minutes
    # (a CI run mailed 4, its posts at 01:19:59 and 01:20:00), as test_notifications says.
    this_minute = notifications._burst_key()
    monkeypatch.setattr(notifications, "_burst_key", lambda: this_minute)
    UserFactory(is_staff=True, is_superuser=True, email="root@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):  # the burst limit (3 a minute) is used up by ordinary comments
            data = form_data(article, email=f"r{n}@example.org")
            send(client, data, REMOTE_ADDR=f"192.0.2.{n}")
    assert len(mail.outbox) == 3 * 2  # one to each moderator
    with django_capture_on_commit_callbacks(execute=True):
        send(client, form_data(article, comment=CRISIS_TEXT), REMOTE_ADDR="192.0.2.20")
    assert len(mail.outbox) == 4 * 2
    assert all("URGENT" in m.subject for m in mail.outbox[-2:])
    assert sorted(m.to for m in mail.outbox[-2:]) == [["mod@example.org"], ["root@example.org"]]


def crisis_section(response):
    return BeautifulSoup(response.content, "html.parser").select_one(".crisis")


def test_writer_lands_on_the_crisis_resources_and_their_comment(client, post, article):
    response = post(article, comment=CRISIS_TEXT)
    assert response.status_code == 303
    page = client.get(response["Location"])
    comment = latest()
    item = BeautifulSoup(page.content, "html.parser").find(id=f"c{comment.pk}")
    section = item.select_one(".crisis")
    assert "local emergency number" in section.get_text()
    assert section.find("a", href="https://findahelpline.com/") is not None
    assert "awaiting moderation" in item.select_one(".awaiting").get_text()


def test_the_site_sets_the_crisis_text_and_links(client, post, article):
    support = CrisisSupport.current()
    support.message = "Please talk to someone tonight."
    support.resources = "Samaritans 116 123 | tel:116123\nNot a link | javascript:alert(1)"
    support.save()
    post(article, comment=CRISIS_TEXT)
    section = crisis_section(client.get(article.get_absolute_url()))
    assert "Please talk to someone tonight." in section.get_text()
    assert section.find("a", href="tel:116123").get_text() == "Samaritans 116 123"
    assert section.find("a", href="javascript:alert(1)") is None
    assert "Not a link" in section.get_text()


@pytest.mark.parametrize("cache_mode", ["page cache", "page and fragment caches"])
def test_nothing_of_it_reaches_other_readers_or_the_page_cache(
    settings, client, post, article, other_reader, cache_mode
):
    """The writer's page is theirs alone: it never enters the shared page cache."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRAGMENT_CACHE_SECONDS = 300 if "fragment" in cache_mode else 0
    url = article.get_absolute_url()
    other_reader.get(url)  # the anonymous page is cached before the comment
    post(article, comment=CRISIS_TEXT)
    assert crisis_section(client.get(url)) is not None
    assert client.get(url).get("X-Page-Cache") is None  # never from, never into, the cache
    for _ in range(2):
        response = other_reader.get(url)
        content = response.content.decode()
        assert crisis_section(response) is None
        assert "want to die" not in content
        assert "findahelpline" not in content and "You are not alone" not in content
    assert response["X-Page-Cache"] == "hit"


def test_resources_cost_one_query_only_for_the_writer_of_an_urgent_comment(
    client, post, article, other_reader
):
    """The support text is read only where it is shown: a page with an ordinary held comment
    of this browser costs what it did; the writer of an urgent one pays one query more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = article.get_absolute_url()
    post(article)
    client.get(url)  # per-process caches (content types, site) warmed up
    with CaptureQueriesContext(connection) as ordinary:
        client.get(url)
    post(article, client=other_reader, comment=CRISIS_TEXT)
    with CaptureQueriesContext(connection) as urgent:
        other_reader.get(url)
    assert len(urgent) == len(ordinary) + 1


def test_staff_own_comments_are_not_matched(staff_client, article):
    """Moderators quoting a phrase in a reply as themselves are not held."""
    send(staff_client, form_data(article, comment=CRISIS_TEXT))
    assert latest().state == Comment.State.PUBLISHED


@pytest.mark.parametrize(
    "fields",
    [{"email": ""}, {"name": ""}, {"comment": CRISIS_TEXT + " " + "x" * 3000}],
    ids=["no email", "no name", "too long"],
)
def test_a_refused_crisis_comment_still_shows_the_resources_first(post, article, fields):
    """Someone who wrote that they want to die and left out their email was told only "Your
    comment was not posted": the resources come first on that page too, before the form."""
    response = post(article, **{"comment": CRISIS_TEXT, **fields})
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    section = page.select_one(".crisis")
    assert "local emergency number" in section.get_text()
    assert section.find("a", href="https://findahelpline.com/") is not None
    assert section.find("h2").get_text() == "You are not alone"  # under the page's h1
    assert page.find("h1").find_next(class_="crisis") is section
    assert section.find_next(class_="problem") is not None  # then what to correct
    assert not Comment.objects.exists()


def test_a_refused_ordinary_comment_shows_no_crisis_resources(post, article):
    response = post(article, email="")
    assert response.status_code == 400
    assert crisis_section(response) is None
