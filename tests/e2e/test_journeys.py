"""The three journeys: a reader reading, a reader commenting, a moderator approving."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.factories import CommentFactory, UserFactory

# serialized_rollback: data migrations (the Moderators group) survive the flush after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SECTIONS = [
    "Understanding Post-Therapy Nerve Pain",
    "Causes of Worsening Nerve Pain After Therapy",
    "Managing Post-Therapy Nerve Pain",
    "When to Seek Further Help",
    "Your Path Forward",
]


@pytest.fixture
def seed_article(transactional_db):
    call_command("load_seed")
    article = Article.objects.get()
    CommentFactory(
        article=article, user_name="Maria", comment="It flared for two days, then eased."
    )
    return article


def scroll_y(page):
    return page.evaluate("window.scrollY")


def wait_until(check, timeout=5.0):
    """Poll from Python: page.wait_for_function would need 'unsafe-eval', which CSP forbids."""
    import time

    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-375", "desktop"])
def test_reader_reads_the_article(page, live_server, seed_article, viewport, console_errors):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("Why Does Nerve Pain Get Worse")).click()
    expect(page).to_have_url(live_server.url + seed_article.get_absolute_url())

    for section in SECTIONS:
        expect(page.get_by_role("heading", name=section, level=2)).to_be_visible()
    expect(page.locator("aside.cta")).to_contain_text("Talk to your physical therapist today")
    expect(page.get_by_role("heading", name="1 Response")).to_be_visible()
    expect(page.get_by_text("It flared for two days, then eased.")).to_be_visible()
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # Scroll to Top by mouse.
    page.keyboard.press("End")
    wait_until(lambda: scroll_y(page) > 1000)
    page.get_by_role("link", name="Scroll to Top").click()
    wait_until(lambda: scroll_y(page) == 0)

    # And by keyboard: reach the link with Tab from the bottom of the page, press Enter.
    page.keyboard.press("End")
    wait_until(lambda: scroll_y(page) > 1000)
    page.locator("a.scroll-top").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Scroll to Top"
    page.keyboard.press("Enter")
    wait_until(lambda: scroll_y(page) == 0)
    assert scroll_y(page) == 0
    assert console_errors == []


def fill_comment(form, name, email, text):
    form.get_by_role("textbox", name="Name", exact=True).fill(name)
    form.get_by_role("textbox", name="Email", exact=True).fill(email)
    form.get_by_role("textbox", name="Comment", exact=True).fill(text)


def test_reader_comments_and_replies(browser, page, live_server, seed_article, console_errors):
    url = live_server.url + seed_article.get_absolute_url()
    page.goto(url)
    form = page.locator("form.comment-form")
    fill_comment(form, "Ann", "ann@example.org", "Ice helped me more than heat.")
    page.wait_for_timeout(1100)  # a person takes longer than the time trap
    form.get_by_role("button", name="Post Comment").click()

    mine = Comment.objects.get(user_name="Ann")
    expect(page).to_have_url(re.compile(rf"#c{mine.pk}$"))
    held = page.locator(f"#c{mine.pk}")
    expect(held).to_contain_text("Ice helped me more than heat.")
    expect(held).to_contain_text("awaiting moderation")

    # Reply to Maria's published comment: the form moves under it.
    maria = Comment.objects.get(user_name="Maria")
    page.locator(f"#c{maria.pk} a.reply-link").click()
    moved = page.locator(f"#c{maria.pk} form.comment-form")
    expect(moved).to_be_visible()
    expect(moved.locator(".replying-to")).to_contain_text("Maria")
    fill_comment(moved, "Ann", "ann@example.org", "Maria, did you rest between sessions?")
    page.wait_for_timeout(1100)
    moved.get_by_role("button", name="Post Comment").click()
    reply = Comment.objects.get(comment__startswith="Maria, did you")
    assert reply.parent_id == maria.pk
    expect(page.locator(f"#c{maria.pk} #c{reply.pk}")).to_contain_text("awaiting moderation")

    # Another reader, in another browser context, sees neither held comment.
    other = browser.new_context().new_page()
    other.goto(url)
    expect(other.get_by_text("It flared for two days")).to_be_visible()
    expect(other.get_by_text("Ice helped me more than heat.")).to_have_count(0)
    expect(other.get_by_text("did you rest between sessions")).to_have_count(0)
    assert console_errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-375", "desktop"])
def test_a_posted_comment_takes_the_focus_so_a_screen_reader_reads_it(
    page, live_server, seed_article, viewport, console_errors
):
    """After posting, the focus stayed on the page (body) and the "awaiting moderation"
    status, there from the load, was never announced: a screen reader user was not told the
    comment had arrived. Now the comment itself has the focus, read with its status; a link
    to someone else's comment moves no focus."""
    page.set_viewport_size(viewport)
    url = live_server.url + seed_article.get_absolute_url()
    page.goto(url)
    form = page.locator("form.comment-form")
    fill_comment(form, "Ann", "ann@example.org", "Ice helped me more than heat.")
    page.wait_for_timeout(1100)
    form.get_by_role("button", name="Post Comment").click()

    mine_pk = Comment.objects.get(user_name="Ann").pk
    mine = page.locator(f"#c{mine_pk}")
    expect(mine).to_be_focused()
    expect(mine).to_be_in_viewport()
    expect(mine.get_by_role("status")).to_have_text(re.compile("awaiting moderation"))
    # Its focus ring whole (3 px and 2 px off the box): the jump stopped the comment flush with
    # the top of the screen, the ring's top edge cut off.
    page.wait_for_timeout(800)  # the smooth scroll to it ends
    assert page.evaluate(f"document.getElementById('c{mine_pk}').getBoundingClientRect().top") >= 5

    maria = Comment.objects.get(user_name="Maria")
    page.goto("about:blank")  # a load of its own, not a jump within the page
    page.goto(f"{url}#c{maria.pk}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    assert page.evaluate("document.activeElement.tagName") == "BODY"
    assert console_errors == []


def test_a_refused_comment_lists_its_errors_and_each_leads_to_its_field(
    page, live_server, seed_article, console_errors
):
    """On a phone the comment box is a screen below the message: its link goes there (the
    browser's own jump to a field: no script), with its label in view and the cursor in the
    box, everything typed kept."""
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + seed_article.get_absolute_url())
    form = page.locator("form.comment-form")
    fill_comment(form, "Ann", "not-an-address", "\u200b\u200b")
    page.wait_for_timeout(1100)
    form.get_by_role("button", name="Post Comment").click()

    expect(page.get_by_role("heading", name="Your comment was not posted")).to_be_visible()
    errors = page.locator(".problem-list a")
    expect(errors).to_have_text(
        [
            "Email: Enter an email address like name@example.com.",
            re.compile(r"^Comment: Your comment has no"),
        ]
    )
    errors.last.click()
    text = page.locator("#id_comment")
    expect(text).to_be_focused()
    expect(text).to_have_value("\u200b\u200b")
    expect(page.locator('label[for="id_comment"]')).to_be_in_viewport(ratio=1)
    expect(page.locator("#id_email")).to_have_value("not-an-address")
    # The one error is the page's own status: 400, as a refused post answers.
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]


def test_a_refused_comment_opens_with_focus_on_what_went_wrong(
    page, live_server, seed_article, console_errors
):
    """The page of a refused comment opened with the focus at the top of the page: a screen
    reader user heard the site's header, not why their comment was not posted (an alert on a
    new page is not reliably read). As NHS.UK's error summary does, the focus is on the
    message; the next Tab is its link to the field."""
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + seed_article.get_absolute_url())
    form = page.locator("form.comment-form")
    fill_comment(form, "", "ann@example.org", "Which dose of gabapentin worked for you?")
    page.wait_for_timeout(1100)
    form.get_by_role("button", name="Post Comment").click()

    problem = page.locator(".problem")
    expect(problem).to_be_focused()
    expect(problem).to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Name: Please enter your name.")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_name")).to_be_focused()
    expect(page.locator("#id_comment")).to_have_value("Which dose of gabapentin worked for you?")
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]


def test_a_long_story_is_counted_never_cut_and_comes_back_whole(
    page, live_server, seed_article, console_errors
):
    """Pasting a story drafted elsewhere: a maxlength would have cut it at 3,000 characters
    without a word. The count says how many are left, then how many too many, its numbers
    written as the hint and the server's message write them ("1,100", "3,000")."""
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + seed_article.get_absolute_url())
    form = page.locator("form.comment-form")
    count = page.locator("#id_comment_count")
    expect(count).to_have_text("You can enter up to 3,000 characters.")
    story = ("After the third session my calves burned for two days. " * 80)[:4100]
    fill_comment(form, "Ann", "ann@example.org", story[:2990])
    expect(count).to_have_text("You have 10 characters left.")
    fill_comment(form, "Ann", "ann@example.org", story)
    expect(page.locator("#id_comment")).to_have_value(story)
    expect(count).to_have_text("You have 1,100 characters too many.")
    expect(count).to_have_class(re.compile(r"\berror\b"))
    page.wait_for_timeout(1100)
    form.get_by_role("button", name="Post Comment").click()

    expect(page.locator(".problem-list a")).to_have_text(
        [re.compile(r"^Comment: Your comment is 4,100 characters long; the limit is 3,000\.")]
    )
    expect(page.locator("#id_comment")).to_have_value(story)
    expect(count).to_have_text("You have 1,100 characters too many.")
    assert not Comment.objects.filter(user_name="Ann").exists()
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]


def test_moderator_approves_from_the_queue(
    browser, page, live_server, seed_article, console_errors
):
    url = live_server.url + seed_article.get_absolute_url()
    # A reader's held comment, posted through the page.
    page.goto(url)
    form = page.locator("form.comment-form")
    fill_comment(form, "Ann", "ann@example.org", "Waiting for a moderator.")
    page.wait_for_timeout(1100)
    form.get_by_role("button", name="Post Comment").click()
    held = Comment.objects.get(user_name="Ann")
    expect(page.locator(f"#c{held.pk}")).to_contain_text("awaiting moderation")

    moderator = UserFactory(username="mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    admin = browser.new_context().new_page()
    admin_errors = []
    admin.on("console", lambda m: admin_errors.append(m.text) if m.type == "error" else None)
    admin.goto(live_server.url + "/admin/")
    admin.get_by_label("Username").fill("mod")
    admin.get_by_label("Password").fill("correct horse battery staple")
    admin.get_by_role("button", name="Log in").click()
    expect(admin.locator(".pending-comments")).to_contain_text("1 comment waiting for moderation")
    admin.locator(".pending-comments a").click()
    row = admin.locator("#result_list tbody tr", has_text="Waiting for a moderator.")
    row.locator("input.action-select").check()
    admin.locator("select[name=action]").select_option("approve")
    admin.get_by_role("button", name="Go").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 comment approved")

    page.reload()
    approved = page.locator(f"#c{held.pk}")
    expect(approved).to_contain_text("Waiting for a moderator.")
    expect(approved).not_to_contain_text("awaiting moderation")
    assert console_errors == []
    assert admin_errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-375", "desktop"])
def test_reply_shows_whom_it_answers_and_cancel_returns_to_the_link(
    page, live_server, seed_article, viewport, console_errors
):
    """As WordPress's comment-reply.js: the form opens under the comment's own links (Reply,
    Report), the first field to fill has the cursor, "Replying to" is in view; Cancel puts the
    cursor back on the Reply link that opened it."""
    page.set_viewport_size(viewport)
    page.goto(live_server.url + seed_article.get_absolute_url())
    maria = Comment.objects.get(user_name="Maria")
    reply_link = page.locator(f"#c{maria.pk} a.reply-link")
    # Named for the comment, as a screen reader lists links: the word shown, then hidden words.
    expect(page.get_by_role("link", name="Reply to Maria", exact=True)).to_have_count(1)
    expect(page.get_by_role("link", name="Report comment by Maria", exact=True)).to_have_count(1)
    hidden = reply_link.locator(".visually-hidden").bounding_box()  # shows "Reply" alone
    assert hidden["width"] <= 1 and hidden["height"] <= 1
    reply_link.click()

    order = page.evaluate(
        """id => Array.from(document.getElementById(id).children, e =>
               e.matches("a.reply-link") ? "reply" : e.matches("a[href$='/report/']") ? "report"
               : e.id === "respond" ? "form" : null).filter(Boolean)""",
        f"c{maria.pk}",
    )
    assert order == ["reply", "report", "form"]
    assert page.evaluate("document.activeElement.id") == "id_name"  # nothing filled in yet
    note = page.locator("#respond .replying-to")
    expect(note).to_be_in_viewport()
    expect(note).to_contain_text("Replying to Maria.")

    note.get_by_role("link", name="Cancel reply").click()
    assert page.evaluate("document.activeElement.getAttribute('href')") == (
        f"?reply_to={maria.pk}#respond"
    )
    expect(note).to_be_hidden()
    assert page.locator("#respond input[name=reply_to]").input_value() == ""
    assert console_errors == []


def test_a_refused_reply_stays_a_reply_and_can_become_a_new_comment(
    page, live_server, seed_article, console_errors
):
    """The problem page says whom the reply answers; Cancel there keeps everything typed."""
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + seed_article.get_absolute_url())
    maria = Comment.objects.get(user_name="Maria")
    page.locator(f"#c{maria.pk} a.reply-link").click()
    form = page.locator("form.comment-form")
    fill_comment(form, "Ann", "not-an-address", "Did rest help you?")
    page.wait_for_timeout(1100)
    form.get_by_role("button", name="Post Comment").click()

    note = page.locator("form.comment-form .replying-to")
    expect(note).to_contain_text("Replying to Maria.")
    note.get_by_role("link", name="Cancel reply").click()
    expect(note).to_be_hidden()
    assert page.locator("input[name=reply_to]").input_value() == ""
    assert page.locator("textarea[name=comment]").input_value() == "Did rest help you?"
    page.locator("input[name=email]").fill("ann@example.org")
    page.get_by_role("button", name="Post Comment").click()
    new = Comment.objects.get(comment="Did rest help you?")
    assert new.level == 0
    # The problem page answered 400: the browser logs that load; nothing else.
    assert [e for e in console_errors if "400 (Bad Request)" not in e] == []


def test_replying_to_a_name_ending_in_a_full_stop_reads_once(
    page, live_server, seed_article, console_errors
):
    maria = Comment.objects.get(user_name="Maria")
    tom = CommentFactory(article=seed_article, user_name="Tom K.", comment="Ice helped.")
    page.goto(live_server.url + seed_article.get_absolute_url())
    note = page.locator("#respond .replying-to")
    page.locator(f"#c{tom.pk} a.reply-link").click()
    expect(note).to_have_text(re.compile(r"^\s*Replying to Tom K\.\s+Cancel reply\s*$"))
    page.locator(f"#c{maria.pk} a.reply-link").click()
    expect(note).to_have_text(re.compile(r"^\s*Replying to Maria\.\s+Cancel reply\s*$"))
    assert console_errors == []
