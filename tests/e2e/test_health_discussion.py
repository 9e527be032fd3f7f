"""The health-aware discussion in a real browser: crisis care, editing your own comment within
its window, readers' reports, and the moderators' overview; axe-core on every new screen."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.factories import CommentFactory, UserFactory

# serialized_rollback: data migrations (crisis phrases, the Moderators group) survive flushes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CRISIS_TEXT = "I can't sleep for the pain and some nights I want to die."


@pytest.fixture
def article(transactional_db):
    call_command("load_seed")
    article = Article.objects.get()
    CommentFactory(article=article, user_name="Maria", comment="It flared, then eased.")
    return article


def assert_no_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def post_comment(page, url, text, name="Ann", email="ann@example.org", followup=False):
    page.goto(url)
    form = page.locator("#respond form.comment-form")
    form.get_by_role("textbox", name="Name", exact=True).fill(name)
    form.get_by_role("textbox", name="Email", exact=True).fill(email)
    form.get_by_role("textbox", name="Comment", exact=True).fill(text)
    if followup:
        form.get_by_role("checkbox", name=re.compile("Email me")).check()
    page.wait_for_timeout(1100)  # a person takes longer than the time trap
    form.get_by_role("button", name="Post Comment").click()
    comment = Comment.objects.latest("pk")
    expect(page.locator(f"#c{comment.pk}")).to_contain_text("awaiting moderation")
    return comment


def log_in_moderator(browser, live_server):
    moderator = UserFactory(username="mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    admin = browser.new_context().new_page()
    admin.goto(live_server.url + "/admin/")
    admin.get_by_label("Username").fill("mod")
    admin.get_by_label("Password").fill("correct horse battery staple")
    admin.get_by_role("button", name="Log in").click()
    return admin


def test_a_crisis_comment_shows_resources_to_its_writer_alone_and_leads_the_queue(
    browser, page, live_server, article, console_errors
):
    url = live_server.url + article.get_absolute_url()
    other = browser.new_context().new_page()
    other.goto(url)  # the anonymous page is cached before the comment
    CommentFactory(article=article, state="pending", comment="An ordinary held comment.")
    crisis = post_comment(page, url, CRISIS_TEXT)

    resources = page.locator(f"#c{crisis.pk} .crisis")
    expect(resources).to_be_visible()
    # Focused on landing: a screen reader reads the resources first, then the held note.
    expect(resources).to_be_focused()
    expect(resources.get_by_role("heading", name="You are not alone")).to_be_in_viewport()
    expect(resources).to_contain_text("call your local emergency number")
    expect(resources.get_by_role("link", name="Find a free, confidential helpline")).to_be_visible()
    assert_no_violations(page)

    other.reload()
    expect(other.get_by_text("It flared, then eased.")).to_be_visible()
    expect(other.locator(".crisis")).to_have_count(0)
    expect(other.get_by_text("want to die")).to_have_count(0)

    admin = log_in_moderator(browser, live_server)
    admin.goto(live_server.url + "/admin/comments/comment/")
    first_row = admin.locator("#result_list tbody tr").first
    expect(first_row.locator(".qc-urgent")).to_have_text("Urgent")
    expect(first_row).to_contain_text("want to die")
    expect(first_row.locator("mark")).to_have_text("want to die")
    assert console_errors == []


def test_the_same_crisis_comment_from_a_second_browser_is_received_once(
    browser, page, live_server, article, console_errors
):
    """The writer sends it again from their phone (no commenter key there): it was held a
    second time, a second urgent email and a second row in the queue. Now that browser is
    told it was received, with the resources first."""
    url = live_server.url + article.get_absolute_url()
    first = post_comment(page, url, CRISIS_TEXT)
    phone = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    phone.goto(url)
    form = phone.locator("#respond form.comment-form")
    form.get_by_role("textbox", name="Name", exact=True).fill("Ann")
    form.get_by_role("textbox", name="Email", exact=True).fill("ann@example.org")
    form.get_by_role("textbox", name="Comment", exact=True).fill(CRISIS_TEXT)
    phone.wait_for_timeout(1100)
    form.get_by_role("button", name="Post Comment").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("You already sent this comment")
    expect(phone.locator(".crisis")).to_have_count(1)
    expect(phone.locator(".crisis")).to_be_focused()
    assert list(Comment.objects.values_list("pk", flat=True).filter(urgent=True)) == [first.pk]
    assert_no_violations(phone)
    assert console_errors == []


def test_a_refused_crisis_comment_opens_on_the_resources_on_a_phone(
    page, live_server, article, console_errors
):
    """Left out the email while writing that they want to die: the page of the refused
    comment opens on the crisis resources (in view, with the focus, so a screen reader reads
    them first), then says what to correct; the text is kept."""
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + article.get_absolute_url())
    form = page.locator("#respond form.comment-form")
    form.get_by_role("textbox", name="Name", exact=True).fill("Ann")
    form.get_by_role("textbox", name="Comment", exact=True).fill(CRISIS_TEXT)
    page.wait_for_timeout(1100)
    form.get_by_role("button", name="Post Comment").click()

    resources = page.get_by_role("region", name="You are not alone")
    expect(resources).to_be_focused()
    expect(resources.get_by_role("heading", name="You are not alone")).to_be_in_viewport()
    expect(resources.get_by_role("link", name="Find a free, confidential helpline")).to_be_visible()
    page.keyboard.press("Tab")
    expect(resources.get_by_role("link", name="Find a free, confidential helpline")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=re.compile("^Email: Please enter"))).to_be_focused()
    expect(page.locator("#id_comment")).to_have_value(CRISIS_TEXT)
    assert_no_violations(page)
    assert not Comment.objects.filter(user_name="Ann").exists()
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]


def test_the_writer_edits_within_the_window_and_not_after(
    browser, page, live_server, article, console_errors
):
    url = live_server.url + article.get_absolute_url()
    comment = post_comment(page, url, "Heat helped me.")

    # With script: the edit form opens in place.
    mine = page.locator(f"#c{comment.pk}")
    mine.get_by_role("link", name="Edit").click()
    box = mine.locator("form.edit-form textarea")
    expect(box).to_be_focused()
    assert_no_violations(page)
    box.fill("Ice helped me, not heat.")
    mine.get_by_role("button", name="Save changes").click()
    expect(page.locator(f"#c{comment.pk} .comment-text")).to_have_text("Ice helped me, not heat.")

    # Without script, in the same browser (its cookies): the edit page's plain form.
    plain = browser.new_context(java_script_enabled=False)
    plain.add_cookies(page.context.cookies())
    no_js = plain.new_page()
    no_js.goto(url)
    no_js.locator(f"#c{comment.pk}").get_by_role("link", name="Edit").click()
    expect(no_js.get_by_role("heading", name="Edit your comment")).to_be_visible()
    no_js.get_by_label("Your comment").fill("Ice helped me most, not heat.")
    no_js.get_by_role("button", name="Save changes").click()
    expect(no_js.locator(f"#c{comment.pk} .comment-text")).to_have_text(
        "Ice helped me most, not heat."
    )
    page.goto(f"{live_server.url}/comments/{comment.pk}/edit/")  # axe needs script to run
    assert_no_violations(page)

    assert console_errors == []

    # Sixteen minutes later: no Edit link, and the edit page refuses (403).
    Comment.objects.filter(pk=comment.pk).update(
        submit_date=timezone.now() - datetime.timedelta(minutes=16)
    )
    page.reload()
    expect(page.locator(f"#c{comment.pk} .own-controls")).to_have_count(0)
    page.goto(f"{live_server.url}/comments/{comment.pk}/edit/")
    expect(
        page.get_by_role("heading", name="This comment can no longer be changed")
    ).to_be_visible()
    assert Comment.objects.get(pk=comment.pk).comment == "Ice helped me most, not heat."


def test_an_edit_saved_after_the_window_gives_the_text_back_on_a_phone(
    page, live_server, article, console_errors
):
    """The edit page opened at minute 14, the change written in three: "Save changes" was
    refused and the new text was gone. It comes back, to copy, in a box that fits the phone."""
    page.set_viewport_size({"width": 375, "height": 740})
    comment = post_comment(page, live_server.url + article.get_absolute_url(), "Heat helped me.")
    page.goto(f"{live_server.url}/comments/{comment.pk}/edit/")
    changed = "Actually ice helped me more than heat, after the third session."
    page.get_by_label("Your comment").fill(changed)
    Comment.objects.filter(pk=comment.pk).update(
        submit_date=timezone.now() - datetime.timedelta(minutes=16)
    )
    page.get_by_role("button", name="Save changes").click()

    expect(
        page.get_by_role("heading", name="This comment can no longer be changed")
    ).to_be_visible()
    expect(page.locator(".problem")).to_be_focused()  # read first, as on the other refusals
    kept = page.get_by_label("Your changed text, to copy")
    expect(kept).to_have_value(changed)
    box = kept.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.get_by_role("link", name="write to the site's moderators")).to_be_visible()
    assert_no_violations(page)
    assert Comment.objects.get(pk=comment.pk).comment == "Heat helped me."
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    ]


def test_deleting_on_a_phone_says_it_was_deleted(page, live_server, article, console_errors):
    """Deleting used to land on the article with nothing said ("Delete my comment"): now on a
    page that opens on the outcome, then leads back to a discussion without the comment."""
    page.set_viewport_size({"width": 375, "height": 740})
    comment = post_comment(page, live_server.url + article.get_absolute_url(), "Heat helped me.")
    page.locator(f"#c{comment.pk}").get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete my comment").click()

    expect(page.get_by_role("heading", name="Your comment was deleted")).to_be_visible()
    status = page.get_by_role("status")
    expect(status).to_be_focused()
    expect(status).to_contain_text("no longer shown to anyone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_violations(page)
    page.reload()  # a GET: nothing is sent again
    expect(status).to_be_focused()
    page.get_by_role("link", name="Back to the discussion").click()
    expect(page.locator(f"#c{comment.pk}")).to_have_count(0)
    assert console_errors == []


def test_the_same_comment_from_a_second_browser_is_told_it_was_received(
    browser, page, live_server, article, console_errors
):
    """Sent again from the phone (a browser that has commented here before), the held
    comment was a link to nothing the phone could see, with nothing said."""
    url = live_server.url + article.get_absolute_url()
    post_comment(page, url, "Gabapentin made me dizzy at first.")
    phone = browser.new_context(viewport={"width": 375, "height": 740}).new_page()
    post_comment(phone, url, "An earlier comment from the phone.", email="ann.phone@example.org")
    form = phone.locator("#respond form.comment-form")
    form.get_by_role("textbox", name="Name", exact=True).fill("Ann")
    form.get_by_role("textbox", name="Email", exact=True).fill("ann@example.org")
    form.get_by_role("textbox", name="Comment", exact=True).fill(
        "Gabapentin made me dizzy at first."
    )
    phone.wait_for_timeout(1100)
    form.get_by_role("button", name="Post Comment").click()

    expect(phone.get_by_role("heading", name="You already sent this comment")).to_be_visible()
    status = phone.get_by_role("status")
    expect(status).to_be_focused()
    expect(status).to_contain_text("not posted a second time")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_violations(phone)
    assert Comment.objects.filter(comment="Gabapentin made me dizzy at first.").count() == 1
    phone.context.close()


def test_three_readers_reporting_send_a_comment_back_to_pending(
    browser, live_server, article, console_errors
):
    url = live_server.url + article.get_absolute_url()
    target = CommentFactory(article=article, user_name="Rex", comment="Rude words here.")
    for n, reason in enumerate(["Spam", "Abusive or hurtful", "Something else"]):
        reader = browser.new_context().new_page()
        reader.goto(url)
        reader.locator(f"#c{target.pk}").get_by_role("link", name="Report").click()
        expect(reader.get_by_role("heading", name="Report a comment")).to_be_visible()
        if n == 0:
            assert_no_violations(reader)
        reader.get_by_label(reason).check()
        reader.get_by_label("Anything the moderators should know").fill(f"Reader {n}")
        reader.get_by_role("button", name="Send report").click()
        expect(reader.get_by_role("status")).to_contain_text("Your report was sent")
        reader.context.close()
    assert Comment.objects.get(pk=target.pk).state == Comment.State.PENDING

    fresh = browser.new_context().new_page()
    fresh.goto(url)
    expect(fresh.get_by_text("It flared, then eased.")).to_be_visible()
    expect(fresh.get_by_text("Rude words here.")).to_have_count(0)
    assert console_errors == []


def test_the_overview_has_no_accessibility_violations(browser, live_server, article):
    CommentFactory(article=article, state="pending", urgent=True, reason="crisis")
    CommentFactory(article=article, state="spam", reason="spam_list")
    admin = log_in_moderator(browser, live_server)
    errors = []
    admin.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    admin.goto(live_server.url + "/admin/comments/overview/")
    expect(admin.get_by_role("heading", name="Needs attention")).to_be_visible()
    expect(admin.locator("svg.chart").first).to_be_visible()
    assert_no_violations(admin)
    assert errors == []  # no CSP violation: no inline style anywhere in the charts


def test_the_overview_reads_on_a_phone(browser, live_server, article):
    """At 375 px the rules' names are as large as the page's other text, and their bars show:
    as SVG text they shrank with the chart to 7 px."""
    CommentFactory(article=article, state="pending", urgent=True, reason="crisis")
    CommentFactory(article=article, state="pending", reason="not_trusted")
    admin = log_in_moderator(browser, live_server)
    admin.set_viewport_size({"width": 375, "height": 800})
    admin.goto(live_server.url + "/admin/comments/overview/")
    labels = admin.locator(".rule-bars .rule-label")
    expect(labels).to_have_count(2)
    for index in range(2):
        size = labels.nth(index).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 13, size
        meter = admin.locator(".rule-bars meter").nth(index)
        bar = meter.bounding_box()
        assert bar["width"] > 200 and bar["x"] + bar["width"] <= 375, bar
        # Drawn as tall as the meter (16 px): Chromium drew its bar 8 px tall.
        drawn = Image.open(io.BytesIO(meter.screenshot())).convert("RGB")
        middle = drawn.width // 2
        filled = [y for y in range(drawn.height) if min(drawn.getpixel((middle, y))) < 200]
        assert len(filled) >= bar["height"] - 1, (len(filled), bar)
    assert admin.evaluate("document.documentElement.scrollWidth") <= 375


def test_cancelling_an_edit_in_place_restores_the_comment(
    page, live_server, article, console_errors
):
    url = live_server.url + article.get_absolute_url()
    comment = post_comment(page, url, "Heat helped me.")
    mine = page.locator(f"#c{comment.pk}")
    mine.get_by_role("link", name="Edit").click()
    expect(mine.locator("form.edit-form textarea")).to_be_focused()
    expect(mine.locator(".own-controls")).to_be_hidden()
    mine.get_by_role("link", name="Cancel").click()
    expect(mine.locator("form.edit-form")).to_have_count(0)
    expect(mine.locator(".comment-text")).to_have_text("Heat helped me.")
    expect(mine.get_by_role("link", name="Edit")).to_be_focused()
    assert console_errors == []


def test_editing_a_public_comment_in_place_hides_its_reply_link(
    page, live_server, article, console_errors
):
    """Under the edit form, the comment's own Reply read as a way to send the edit."""
    url = live_server.url + article.get_absolute_url()
    comment = post_comment(page, url, "Heat helped me.")
    Comment.objects.get(pk=comment.pk).moderate(Comment.State.PUBLISHED, None)
    page.reload()
    mine = page.locator(f"#c{comment.pk}")
    reply = mine.locator(":scope > a.reply-link")
    expect(reply).to_be_visible()
    # Reply, Edit and Delete on one row, as Reply and Report are under others' comments.
    edit = mine.get_by_role("link", name="Edit")
    assert abs(edit.bounding_box()["y"] - reply.bounding_box()["y"]) < 6
    mine.get_by_role("link", name="Edit").click()
    expect(mine.locator("form.edit-form textarea")).to_be_focused()
    expect(reply).to_be_hidden()
    mine.get_by_role("link", name="Cancel").click()
    expect(reply).to_be_visible()
    assert console_errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_a_forms_button_and_the_link_beside_it_stand_apart(
    page, live_server, article, console_errors, width
):
    """The buttons "Save changes" and "Cancel" touched on the edit page (a space's width
    between them): a reader aiming for one could press the other. The edit (on its page and
    in place), delete and report forms keep them apart, on a phone and on a desktop."""
    page.set_viewport_size({"width": width, "height": 800})
    url = live_server.url + article.get_absolute_url()
    comment = post_comment(page, url, "Heat helped me.")
    maria = Comment.objects.get(user_name="Maria")

    def gap(row):
        button, link = row.locator("button"), row.locator("a")
        expect(link).to_be_visible()
        first, second = button.bounding_box(), link.bounding_box()
        if second["y"] >= first["y"] + first["height"]:  # wrapped: one under the other
            return second["y"] - (first["y"] + first["height"])
        return second["x"] - (first["x"] + first["width"])

    mine = page.locator(f"#c{comment.pk}")
    mine.get_by_role("link", name="Edit").click()
    assert gap(mine.locator("form.edit-form p:has(button)")) >= 12
    for path in (f"{comment.pk}/edit/", f"{comment.pk}/delete/", f"{maria.pk}/report/"):
        page.goto(f"{live_server.url}/comments/{path}")
        assert gap(page.locator("form p:has(button)")) >= 12, path
    assert console_errors == []


def edit_terms(page, live_server, comment, in_place):
    """The edit form's terms (until when, links), opened in place or on the edit page."""
    if in_place:
        page.locator(f"#c{comment.pk}").get_by_role("link", name="Edit").click()
        return page.locator(f"#c{comment.pk} form.edit-form #id_edit_comment_terms")
    page.goto(f"{live_server.url}/comments/{comment.pk}/edit/")
    return page.locator("#id_edit_comment_terms")


@pytest.mark.parametrize("in_place", [True, False])
def test_the_edit_window_is_told_in_the_readers_own_time(browser, live_server, article, in_place):
    """ "Until 16:15 UTC" left a reader in New York to convert it; with script the edit form
    (in place and on its page) says the minutes left and the time where the reader is."""
    context = browser.new_context(timezone_id="America/New_York", locale="en-US")
    page = context.new_page()
    comment = post_comment(page, live_server.url + article.get_absolute_url(), "Heat helped me.")
    terms = edit_terms(page, live_server, comment, in_place)
    deadline = timezone.localtime(
        comment.submit_date + datetime.timedelta(minutes=15),
        ZoneInfo("America/New_York"),
    )
    local = f"{deadline:%-I:%M %p} {deadline:%Z}"  # "11:15 AM EST"
    expect(terms).to_contain_text(
        re.compile(rf"You can edit it for the next 1[45] minutes \(until {local}\)\.")
    )
    expect(terms).not_to_contain_text("UTC")
    # By the Save button too, where a writer without script reads it in UTC.
    save = page.get_by_role("button", name="Save changes")
    expect(save).to_have_accessible_description(f"You can save it until {local}.")
    context.close()


@pytest.mark.parametrize("in_place", [True, False])
def test_once_the_edit_time_is_over_the_form_no_longer_speaks_of_links(
    browser, live_server, article, in_place
):
    """ "A moderator may read it again if you add a link" stayed under "The time to edit it is
    over": no edit can be saved then, so the form says only that."""
    page = browser.new_page()
    page.clock.install()
    comment = post_comment(page, live_server.url + article.get_absolute_url(), "Heat helped me.")
    terms = edit_terms(page, live_server, comment, in_place)
    expect(terms).to_contain_text(
        "A moderator may read it again before others see it if you add a link, or advice about "
        "medicines or treatment."
    )
    save = page.get_by_role("button", name="Save changes")
    expect(save).to_be_enabled()
    page.clock.fast_forward("16:00")
    expect(terms).to_contain_text("The time to edit it is over")
    expect(terms.get_by_text("add a link")).to_be_hidden()
    box = page.get_by_role("textbox", name="Your comment")
    expect(box).not_to_have_accessible_description(re.compile("add a link"))
    # Save could save nothing, beside "You can save it until …": it is off, and says why.
    expect(save).to_be_disabled()
    expect(save).to_have_accessible_description(
        "The time to edit it is over, so it cannot be saved: copy your text if you want to keep it."
    )
    page.close()


def test_a_reader_who_asked_for_reply_emails_lands_on_where_the_link_went(
    browser, live_server, article
):
    """Ticking "Email me when someone replies" from an unconfirmed address, the page after
    posting said nothing of the confirmation email, without which no reply email comes; now
    the note under the comment names the (masked) address. The comment takes the focus, so
    a screen reader reads it whole: "awaiting moderation" above the note too (with the note
    focused, the status was never read)."""
    page = browser.new_page()
    url = live_server.url + article.get_absolute_url()
    comment = post_comment(page, url, "Heat helped me.", email="jane@example.org", followup=True)
    note = page.locator(f"#c{comment.pk} > .confirm-email")
    expect(note).to_have_text(
        "Check your email. To get emails when someone replies, open the link we send to "
        "j***@example.org (one a day, and none once the address is confirmed)."
    )
    expect(page.locator(f"#c{comment.pk}")).to_be_focused()
    expect(page.locator(f"#c{comment.pk} > .awaiting")).to_contain_text("awaiting moderation")
    expect(note).to_be_in_viewport()
    page.close()
