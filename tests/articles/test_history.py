"""Revision history: every admin save is a version (who, when); moderators compare and restore."""

import datetime

import pytest
import reversion
from bs4 import BeautifulSoup
from django.utils import formats, timezone
from reversion.models import Version

from articles.history import saved_on
from articles.models import Article
from tests.articles.test_review import admin_form_data
from tests.factories import ArticleFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def change(client, article, **fields):
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", admin_form_data(article, **fields)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    return article


def versions(article):
    return list(Version.objects.get_for_object(article).select_related("revision__user"))


def compared_fields(client, article, older, newer):
    """The fields History's comparison of two versions lists as changed."""
    response = client.get(
        f"/admin/articles/article/{article.pk}/history/compare/",
        {"from": older.pk, "to": newer.pk},
    )
    page = BeautifulSoup(response.content, "html.parser")
    return [section.h2.get_text() for section in page.select(".field-change")]


@pytest.fixture
def edited(admin_client, admin_user):
    """An article saved three times in the admin: first text, a sign-off, a bad edit."""
    article = ArticleFactory(body="## Rest\n\nRest for a day.")
    change(admin_client, article, body="## Rest\n\nRest for two days.\n\nDrink water.")
    change(admin_client, article, sign_off_by=PersonFactory(name="Dr Ada Nerve").pk)
    change(admin_client, article, title="Spam title", body="Buy our pills.")
    return article


def test_every_admin_save_is_a_version_with_who_and_when(edited, admin_user):
    saved = versions(edited)
    assert len(saved) == 4  # the three saves, and the article as it was before the first
    *saves, before = saved
    assert {v.revision.user for v in saves} == {admin_user}
    assert saved[0].revision.date_created >= saved[-1].revision.date_created
    assert saved[0].field_dict["body"] == "Buy our pills."
    assert saves[-1].field_dict["body"] == "## Rest\n\nRest for two days.\n\nDrink water."
    assert before.field_dict["body"] == "## Rest\n\nRest for a day."


def test_an_article_saved_outside_the_admin_keeps_its_text_from_before_its_first_edit(
    admin_client, moderator_client
):
    """Imported from WordPress, an article has no version: its first edit in the admin kept
    only the new text. The text before it is now a version too."""
    article = ArticleFactory(title="Imported", body="## Heat\n\nHeat helps some people.")
    assert versions(article) == []
    change(admin_client, article, body="Rewritten badly.")
    _after, before = versions(article)
    assert before.revision.user is None
    assert before.revision.get_comment() == "As it was before it was first changed in the admin."
    moderator_client.post(f"/admin/articles/article/{article.pk}/history/{before.pk}/restore/")
    article.refresh_from_db()
    assert article.body == "## Heat\n\nHeat helps some people."
    change(admin_client, article, body="A second edit.")
    assert len(versions(article)) == 4  # recorded once only: edit, restore, edit


def test_the_version_from_before_the_first_edit_is_told_apart_from_it(admin_client):
    """Recorded as the first edit is saved, it was dated with that edit, to the second: History
    showed two rows of 08:29:56, and restoring it said "Restored the version saved on ...
    08:29:56. To undo this, restore the version saved on ... 08:29:56"."""
    import datetime

    from django.utils import timezone

    article = ArticleFactory(title="Imported", body="## Heat\n\nHeat helps some people.")
    stored_at = timezone.now() - datetime.timedelta(days=3)
    Article.objects.filter(pk=article.pk).update(updated_at=stored_at)
    change(admin_client, article, body="Rewritten badly.")
    after, before = versions(article)
    assert before.revision.date_created == stored_at  # when it was stored, not the edit
    response = admin_client.post(
        f"/admin/articles/article/{article.pk}/history/{before.pk}/restore/", follow=True
    )
    [message] = [str(m) for m in response.context["messages"] if str(m).startswith("Restored")]
    assert message.startswith("Restored the version from before its first change in the admin.")
    assert f"To undo this, restore the version saved on {saved_on(after)}" in message


def test_the_review_sign_off_is_part_of_the_version(edited):
    _newest, signed, first, _before = versions(edited)
    assert first.field_dict["last_reviewed"] is None
    assert signed.field_dict["last_reviewed"] == edited.last_reviewed
    assert signed.field_dict["reviewed_by_id"] == edited.reviewed_by_id
    assert signed.revision.get_comment() == "Medical review signed off by Dr Ada Nerve."


def test_history_page_lists_versions_to_compare_and_restore(moderator_client, edited):
    response = moderator_client.get(f"/admin/articles/article/{edited.pk}/history/")
    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200
    assert len(page.select("input[name=from]")) == 4
    assert len(page.select("input[name=to]")) == 4
    # The newest version is the article as it is: restoring is offered for the older three.
    assert len(page.select("button[form^=restore-]")) == 3
    cells = page.select("#change-history tbody tr td:last-child")
    assert cells[0].get_text(strip=True) == "This is the current version"


def test_compare_offers_no_restore_of_the_newest_version(moderator_client, edited):
    """Comparing an older version with the newest offered "Restore this version" on both; the
    newest is what the article holds now, so its Restore changed nothing but added a version."""
    newest, signed, first, _before = versions(edited)
    url = f"/admin/articles/article/{edited.pk}/history/compare/"
    page = BeautifulSoup(
        moderator_client.get(url, {"from": first.pk, "to": newest.pk}).content, "html.parser"
    )
    newer, older = page.select_one("tr.newer"), page.select_one("tr.older")
    assert newer.select("form") == []
    assert "This is the current version" in newer.get_text()
    assert older.select_one("form")["action"].endswith(f"/history/{first.pk}/restore/")
    # Two older versions: both can be restored.
    page = BeautifulSoup(
        moderator_client.get(url, {"from": first.pk, "to": signed.pk}).content, "html.parser"
    )
    assert len(page.select(".compared-versions form")) == 2
    assert "current version" not in page.select_one(".compared-versions").get_text()


def test_moderator_compares_two_versions(moderator_client, edited):
    newest, _signed, first, _before = versions(edited)
    response = moderator_client.get(
        f"/admin/articles/article/{edited.pk}/history/compare/",
        {"from": first.pk, "to": newest.pk},
    )
    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200
    changes = {
        section.h2.get_text(): section.pre.get_text() for section in page.select(".field-change")
    }
    assert "- Rest for two days." in changes["Body"]
    assert "- Drink water." in changes["Body"]
    assert "+ Buy our pills." in changes["Body"]
    assert "+ Spam title" in changes["Title"]
    assert "+ Dr Ada Nerve, MD" in changes["Medically reviewed by"]
    assert "Summary" not in changes  # unchanged fields are not listed
    assert page.select("ins") and page.select("del")


def test_comparing_needs_two_versions_of_this_article(moderator_client, edited):
    other = ArticleFactory()
    url = f"/admin/articles/article/{edited.pk}/history/compare/"
    assert moderator_client.get(url).status_code == 404
    assert moderator_client.get(url, {"from": "x", "to": "y"}).status_code == 404
    foreign = Version.objects.create(
        revision=versions(edited)[0].revision,
        content_type=versions(edited)[0].content_type,
        object_id=str(other.pk),
        db="default",
        format="json",
        serialized_data="[]",
        object_repr="other",
    )
    assert (
        moderator_client.get(url, {"from": foreign.pk, "to": versions(edited)[0].pk}).status_code
        == 404
    )


def test_moderator_restores_an_earlier_version(moderator_client, moderator, edited):
    """The article, its review sign-off and rendered body return; the restore is a version."""
    _newest, signed, _first, _before = versions(edited)
    response = moderator_client.post(
        f"/admin/articles/article/{edited.pk}/history/{signed.pk}/restore/"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/articles/article/{edited.pk}/history/"
    edited.refresh_from_db()
    assert edited.title == signed.field_dict["title"]
    assert edited.body == "## Rest\n\nRest for two days.\n\nDrink water."
    assert "Drink water." in edited.body_html and "pills" not in edited.body_html
    assert edited.reviewed_by.name == "Dr Ada Nerve"
    restored = versions(edited)[0]
    assert len(versions(edited)) == 5
    assert restored.revision.user == moderator
    assert restored.revision.get_comment().startswith("Restored the version saved on")


def test_a_restore_that_takes_back_the_medical_review_says_so(moderator_client, edited):
    """Restoring the version before the sign-off: readers read "not medically reviewed yet"
    from then, and the message said only that it stayed published. A restore that keeps the
    review says nothing of it."""
    _newest, signed, first, _before = versions(edited)
    url = f"/admin/articles/article/{edited.pk}/history/"
    response = moderator_client.post(f"{url}{signed.pk}/restore/", follow=True)
    assert "medical review" not in next(str(m) for m in response.context["messages"])
    response = moderator_client.post(f"{url}{first.pk}/restore/", follow=True)
    message = next(str(m) for m in response.context["messages"])
    assert "Its medical review went back too: readers now read that it has not been" in message
    edited.refresh_from_db()
    assert edited.last_reviewed is None


def test_a_restores_message_says_how_to_undo_it_and_that_works(moderator_client, edited):
    """Restore this version acts at one click, and nothing said the text it replaced could be
    had back. It can (the restore is a version, the text before it the one under it): the
    message names that version, and restoring it undoes the restore."""
    newest, signed, _first, _before = versions(edited)
    response = moderator_client.post(
        f"/admin/articles/article/{edited.pk}/history/{signed.pk}/restore/", follow=True
    )
    message = next(str(m) for m in response.context["messages"])
    assert message.endswith(
        f"To undo this, restore the version saved on {saved_on(newest)}: it stays in History."
    )
    restore, kept, *_older = versions(edited)
    assert kept == newest and restore.field_dict["body"] == signed.field_dict["body"]
    assert f"/history/{newest.pk}/restore/" in response.content.decode()
    moderator_client.post(f"/admin/articles/article/{edited.pk}/history/{newest.pk}/restore/")
    edited.refresh_from_db()
    assert (edited.title, edited.body) == ("Spam title", "Buy our pills.")


def test_restoring_brings_back_the_references_of_that_version(admin_client, moderator_client):
    article = ArticleFactory(body="Fact [@a].")
    data = admin_form_data(
        article,
        **{
            "references-TOTAL_FORMS": "1",
            "references-0-position": "1",
            "references-0-key": "a",
            "references-0-title": "Source A",
            "references-0-publisher": "NHS",
            "references-0-url": "https://www.nhs.uk/a/",
        },
    )
    admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    with_reference = versions(article)[0]
    reference = article.references.get()
    admin_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        admin_form_data(
            article,
            **{
                "references-TOTAL_FORMS": "1",
                "references-INITIAL_FORMS": "1",
                "references-0-id": reference.pk,
                "references-0-article": article.pk,
                "references-0-position": "1",
                "references-0-key": "a",
                "references-0-title": "Source A",
                "references-0-publisher": "NHS",
                "references-0-url": "https://www.nhs.uk/a/",
                "references-0-DELETE": "on",
                "body": "Fact.",  # a citation of a reference deleted is refused at the save
            },
        ),
    )
    article.refresh_from_db()
    assert not article.references.exists()
    assert article.body == "Fact."

    moderator_client.post(
        f"/admin/articles/article/{article.pk}/history/{with_reference.pk}/restore/"
    )
    article.refresh_from_db()
    assert [r.title for r in article.references.all()] == ["Source A"]
    assert 'href="#ref-a"' in article.body_html


def test_moderators_can_restore_but_not_edit(moderator_client, edited):
    url = f"/admin/articles/article/{edited.pk}/change/"
    assert moderator_client.get(url).status_code == 200  # read-only view
    response = moderator_client.post(url, admin_form_data(edited, title="Moderator edit"))
    assert response.status_code == 403
    assert Article.objects.get(pk=edited.pk).title == "Spam title"


def test_restore_is_a_post(moderator_client, edited):
    url = f"/admin/articles/article/{edited.pk}/history/{versions(edited)[-1].pk}/restore/"
    assert moderator_client.get(url).status_code == 405
    assert Article.objects.get(pk=edited.pk).title == "Spam title"


def test_staff_without_the_permission_cannot_restore_or_compare(client, edited):
    client.force_login(UserFactory(is_staff=True))
    first = versions(edited)[-1]
    base = f"/admin/articles/article/{edited.pk}/history/"
    assert client.post(f"{base}{first.pk}/restore/").status_code == 403
    assert client.get(f"{base}compare/", {"from": first.pk, "to": first.pk}).status_code == 403
    assert Article.objects.get(pk=edited.pk).title == "Spam title"


def test_a_new_title_is_the_only_change_recorded_as_a_browser_sends_the_form(
    admin_client, moderator_client
):
    """Browsers send a text box's line breaks as CRLF, and the admin's time box has no
    microseconds. Saving a new title recorded "Changed Title and Body.", stored the body with
    CRLF, and the comparison listed the body (no line changed) and the publish date (by its
    microseconds)."""
    from django.contrib.admin.models import LogEntry

    article = ArticleFactory(body="## Rest\n\nRest for a day.\n\nThen walk.")
    assert article.published_at.microsecond  # set in code, as load_seed and imports do
    data = admin_form_data(article, title="Rest, then walk")
    data["body"] = article.body.replace("\n", "\r\n")
    assert (
        admin_client.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    )

    article.refresh_from_db()
    assert article.body == "## Rest\n\nRest for a day.\n\nThen walk."
    assert LogEntry.objects.latest("pk").get_change_message() == "Changed Title."
    newest, before = versions(article)
    assert compared_fields(moderator_client, article, before, newest) == ["Title"]


def test_versions_whose_texts_differ_in_line_breaks_alone_compare_as_the_same_text(
    moderator_client,
):
    """Versions saved before line breaks were kept as stored: the comparison listed "Body"
    with no line changed."""
    import reversion

    article = ArticleFactory(body="One.\r\n\r\nTwo.\r\n")
    with reversion.create_revision():
        article.save()
    article.title, article.body = "New title", "One.\n\nTwo."
    with reversion.create_revision():
        article.save()
    newest, older = versions(article)
    assert compared_fields(moderator_client, article, older, newest) == ["Title"]


def test_articles_deleted_together_from_the_list_keep_a_version_to_recover(admin_client):
    article = ArticleFactory(title="Imported, never edited here")
    data = {"action": "delete_selected", "post": "yes", "_selected_action": [str(article.pk)]}
    assert admin_client.post("/admin/articles/article/", data).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    [deleted] = Version.objects.get_deleted(Article)
    assert deleted.field_dict["title"] == "Imported, never edited here"


def test_two_saves_in_the_same_minute_are_told_apart_by_their_seconds(
    admin_client, moderator_client, edited
):
    """History, the comparison and a restore's message show when each version was saved to
    the second: two saves in one minute read the same ("6 Dec 2026, 10:15")."""
    import datetime

    from django.utils import timezone

    newest, signed, *_older = versions(edited)
    minute = timezone.make_aware(datetime.datetime(2026, 12, 6, 10, 15))
    for version, second in ((signed, 7), (newest, 42)):
        version.revision.date_created = minute.replace(second=second)
        version.revision.save()

    page = BeautifulSoup(
        admin_client.get(f"/admin/articles/article/{edited.pk}/history/").content, "html.parser"
    )
    times = [row.get_text() for row in page.select("#change-history tbody th")]
    assert times[:2] == ["6 Dec 2026, 10:15:42", "6 Dec 2026, 10:15:07"]
    assert page.select_one("input[name=to]")["aria-label"] == "Compare to 6 Dec 2026, 10:15:42"

    compared = admin_client.get(
        f"/admin/articles/article/{edited.pk}/history/compare/",
        {"from": signed.pk, "to": newest.pk},
    ).content.decode()
    assert "10:15:07" in compared and "10:15:42" in compared

    response = moderator_client.post(
        f"/admin/articles/article/{edited.pk}/history/{signed.pk}/restore/", follow=True
    )
    message = " ".join(str(m) for m in response.context["messages"])
    assert message == (
        "Restored the version saved on 6 Dec 2026, 10:15:07. It changed the title and the text. "
        "It stays published: readers see the restored version now. "
        "To undo this, restore the version saved on 6 Dec 2026, 10:15:42: it stays in History."
    )


def test_an_article_with_one_version_offers_nothing_to_compare(admin_client):
    """With one version, History showed From and To buttons with nothing to compare and said
    "Choose two": the page shows that version and says the next save records one to compare."""
    with reversion.create_revision():
        article = ArticleFactory(body="Rest for a day.")
    assert len(versions(article)) == 1
    response = admin_client.get(f"/admin/articles/article/{article.pk}/history/")
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select("#change-history input[type=radio]") == []
    headers = [th.get_text() for th in page.select("#change-history thead th")]
    assert headers == ["Date/time", "User", "Change"]
    intro = page.select_one("#content-main > p").get_text()
    assert "Choose two" not in intro
    assert "the only one so far" in intro
    assert len(page.select("#change-history tbody tr")) == 1


def test_restoring_a_draft_version_keeps_a_published_article_published(
    admin_client, moderator_client
):
    """A version brings back the text, not the publication (as WordPress's and Ghost's
    revisions): restoring the first draft's text to undo a bad edit left a live article a
    draft, taken off the site without a word. The message says what readers see now."""
    article = ArticleFactory(status=Article.Status.DRAFT, body="First text.")
    change(admin_client, article, body="Second text.")
    published_at = article.published_at
    change(admin_client, article, status=Article.Status.PUBLISHED, body="A bad edit.")
    draft_version = versions(article)[1]
    assert draft_version.field_dict["status"] == Article.Status.DRAFT
    response = moderator_client.post(
        f"/admin/articles/article/{article.pk}/history/{draft_version.pk}/restore/", follow=True
    )
    article.refresh_from_db()
    assert article.body == "Second text."
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == published_at
    assert Article.objects.published().filter(pk=article.pk).exists()
    message = next(str(m) for m in response.context["messages"])
    assert "It stays published: readers see the restored version now." in message


def test_restoring_a_published_version_keeps_a_draft_a_draft(admin_client, moderator_client):
    """Nor does restoring publish an article taken down since (unpublished for a reason)."""
    article = ArticleFactory(status=Article.Status.PUBLISHED, body="Live text.")
    change(admin_client, article, body="Edited live text.")
    change(admin_client, article, status=Article.Status.DRAFT)
    live_version = versions(article)[1]
    response = moderator_client.post(
        f"/admin/articles/article/{article.pk}/history/{live_version.pk}/restore/", follow=True
    )
    article.refresh_from_db()
    assert article.body == "Edited live text."
    assert article.status == Article.Status.DRAFT
    message = next(str(m) for m in response.context["messages"])
    assert "It stays a draft: readers do not see it." in message


def test_history_says_each_versions_publication_when_it_was_saved(admin_client):
    """History's comments ("Changed Status and Publish date.") did not say which save published,
    scheduled or withdrew the article: each version says what it was then."""
    article = ArticleFactory(status=Article.Status.DRAFT, body="First text.")
    change(admin_client, article, body="Second text.")
    coming = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    change(
        admin_client,
        article,
        status=Article.Status.PUBLISHED,
        published_at_0=coming.date().isoformat(),
        published_at_1="09:30:00",
    )
    change(admin_client, article, published_at_0="", published_at_1="")
    page = BeautifulSoup(
        admin_client.get(f"/admin/articles/article/{article.pk}/history/").content, "html.parser"
    )
    said = [line.get_text() for line in page.select("#change-history .version-publication")]
    when = formats.date_format(coming, "DATETIME_FORMAT")
    assert said == [
        "Status then: Published",
        f"Status then: Scheduled for {when}",
        "Status then: Draft",
        "Status then: Draft",  # as it was before its first edit
    ]
    intro = page.select_one("#content-main p").get_text()
    assert "Restoring one keeps the article as readers see it now" in intro


def test_compare_leaves_out_the_featured_images_size_and_the_search_names():
    """Compare listed "Featured image width" and "Featured image height", which no editor
    sets: they follow the image, whose own change is listed."""
    from articles.history import compare_versions

    article = ArticleFactory(title="Heat")
    for width, title in [(800, "Heat"), (1200, "Heat and ice")]:
        with reversion.create_revision():
            Article.objects.filter(pk=article.pk).update(
                featured_image_width=width, featured_image_height=width // 2
            )
            article.refresh_from_db()
            article.title = title
            article.save()
    new, old = Version.objects.get_for_object(article)[:2]
    assert [change.label for change in compare_versions(old, new)] == ["title"]


def test_history_says_whether_a_new_article_was_published(admin_client):
    """A new article's line was "Added." whether readers could read it or not."""
    from django.contrib.admin.models import LogEntry

    for status, said in [("draft", "Added."), ("published", "Added. Published.")]:
        response = admin_client.post(
            "/admin/articles/article/add/",
            admin_form_data(ArticleFactory.build(slug=f"new-{status}"), status=status)
            | {"published_at_0": "", "published_at_1": ""},
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        article = Article.objects.get(slug=f"new-{status}")
        entry = LogEntry.objects.filter(object_id=str(article.pk)).get()
        assert entry.get_change_message() == said


def test_history_says_what_each_save_did_to_the_publication(admin_client):
    """ "Changed Status and Publish date.", or only "Changed Publish date." for a scheduled
    article published now: the line did not say whether it went live, was scheduled or taken
    off the site."""
    from django.contrib.admin.models import LogEntry

    def said():
        return LogEntry.objects.filter(object_id=str(article.pk)).latest("pk").get_change_message()

    article = ArticleFactory(status=Article.Status.DRAFT, body="First text.")
    coming = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    later = coming + datetime.timedelta(days=1)
    when, later_when = (formats.date_format(at, "DATETIME_FORMAT") for at in (coming, later))
    schedule = {
        "status": Article.Status.PUBLISHED,
        "published_at_0": coming.date().isoformat(),
        "published_at_1": "09:30:00",
    }
    change(admin_client, article, body="Second text.", **schedule)
    assert said() == f"Scheduled for {when}. Changed Body."
    change(admin_client, article, published_at_0=later.date().isoformat())
    assert said() == f"Scheduled for {later_when} (it was for {when})."
    change(admin_client, article, published_at_0="", published_at_1="")
    assert said() == f"Published now (it was scheduled for {later_when})."
    change(admin_client, article, status=Article.Status.DRAFT, title="Heat")
    assert said() == "Unpublished: a draft, readers no longer see it. Changed Title."
    change(admin_client, article, status=Article.Status.PUBLISHED)
    assert said() == "Published."
    change(admin_client, article, **schedule)
    assert said() == f"Taken off the site until {when}: scheduled."
    change(admin_client, article, status=Article.Status.DRAFT)
    assert said() == f"Its schedule ({when}) cancelled: a draft."
    change(admin_client, article, body="Third text.")
    assert said() == "Changed Body."
    change(
        admin_client, article, status=Article.Status.PUBLISHED, published_at_0="", published_at_1=""
    )
    admin_client.post(
        "/admin/articles/article/",
        {"action": "unpublish_selected", "_selected_action": [article.pk]},
    )
    assert said() == "Unpublished: a draft, readers no longer see it."  # not "Changed Status."


def test_a_restores_message_says_what_readers_see_changed_and_taken_away(
    moderator_client, admin_client
):
    """Restoring an early version took the topic, the byline and the call to action off a
    live article, and the message spoke of its medical review alone."""
    from tests.factories import CallToActionFactory, TopicFactory

    article = ArticleFactory(body="First text.", topic=None, byline=None, call_to_action=None)
    change(admin_client, article, body="First text.")  # a version without them
    first = versions(article)[0]
    change(
        admin_client,
        article,
        body="Better text.",
        topic=TopicFactory().pk,
        byline=PersonFactory().pk,
        call_to_action=CallToActionFactory().pk,
    )
    url = f"/admin/articles/article/{article.pk}/history/"
    response = moderator_client.post(f"{url}{first.pk}/restore/", follow=True)
    message = next(str(m) for m in response.context["messages"])
    assert (
        "It changed the text, the topic, the byline and the call to action. Readers now see it "
        "without a topic, a byline and a call to action. It stays published"
    ) in message
    # Restoring the newest (the one before the restore) brings them back: said, none gone.
    newest = versions(article)[1]
    response = moderator_client.post(f"{url}{newest.pk}/restore/", follow=True)
    message = next(str(m) for m in response.context["messages"])
    assert "It changed the text, the topic, the byline and the call to action. It stays" in message
