"""What a moderator types is never lost to a decision; permanent delete only where WordPress
offers it; the card's state never styled as a button; moderating on the article page says what
happened, with Undo, and lands where the comment (or the discussion) is."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from comments import decisions, queue
from comments.models import Comment
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"
FRAGMENT = {"HTTP_X_FRAGMENT": "row"}


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def site_replies(parent):
    return list(Comment.objects.filter(parent_id=parent.pk, from_site=True))


# 1. A reply typed before a decision


def test_approve_from_the_queue_without_script_publishes_the_typed_reply(moderator_client):
    """Without script the row's form carries the reply box: Approve publishes the reply too
    (WordPress's "Approve and Reply"), rather than approving and dropping the text."""
    parent = CommentFactory(state="pending")
    other = CommentFactory(state="pending")
    response = moderator_client.post(
        f"{CHANGELIST}{parent.pk}/moderate/approve/",
        {f"reply-{parent.pk}": "Ask your physio.", f"reply-{other.pk}": "", "next": CHANGELIST},
        follow=True,
    )
    parent.refresh_from_db()
    assert parent.state == Comment.State.PUBLISHED
    [reply] = site_replies(parent)
    assert reply.comment == "Ask your physio."
    assert reply.state == Comment.State.PUBLISHED
    shown = " ".join(messages_of(response))
    assert "1 comment approved." in shown
    assert "Your reply is published." in shown


@pytest.mark.parametrize("action", ["spam", "remove"])
def test_spam_or_remove_with_a_typed_reply_changes_nothing_and_gives_the_text_back(
    moderator_client, action
):
    parent = CommentFactory(state="pending")
    response = moderator_client.post(
        f"{CHANGELIST}{parent.pk}/moderate/{action}/",
        {f"reply-{parent.pk}": "My unsent words", "next": CHANGELIST},
        follow=True,
    )
    parent.refresh_from_db()
    assert parent.state == Comment.State.PENDING
    assert site_replies(parent) == []
    # The text comes back in its box, open, at its card (it was only quoted in the message,
    # to copy from there), with the messages above the card.
    page = soup(response)
    box = page.select_one(f"#qc-{parent.pk} textarea[name=reply-{parent.pk}]")
    assert box.get_text() == "My unsent words"
    assert page.select_one(f"#qc-{parent.pk} details.qc-reply").has_attr("open")
    landing = page.select_one(f"#qc-{parent.pk}-landing").get_text(" ", strip=True)
    label, doing = {"spam": ("Spam", "mark it as spam"), "remove": ("Remove", "remove it")}[action]
    assert f"Nothing was changed: only Approve publishes a reply. To {doing} without it, " in (
        landing
    )
    assert f"clear its box, then press “{label}” again." in landing
    assert response.redirect_chain[-1][0].endswith(f"#qc-{parent.pk}-landing")
    # The script's request gets a short refusal it can show on the card.
    answer = moderator_client.post(
        f"{CHANGELIST}{parent.pk}/moderate/{action}/",
        {f"reply-{parent.pk}": "My unsent words"},
        **FRAGMENT,
    )
    assert answer.status_code == 400
    parent.refresh_from_db()
    assert parent.state == Comment.State.PENDING


def change_form(obj, **fields):
    """What the comment's page posts: its fields as they are, with ``fields`` typed in."""
    return {
        "user_name": obj.user_name,
        "user_url": "",
        "comment": obj.comment,
        "reply": "",
        "next": f"{CHANGELIST}{obj.pk}/change/",
        **fields,
    }


def test_the_comment_pages_decisions_are_buttons_of_its_form(moderator_client):
    """They post the whole form (edits and reply) to the page, not to a view that ignores it."""
    comment = CommentFactory(state="pending")
    page = soup(moderator_client.get(f"{CHANGELIST}{comment.pk}/change/"))
    buttons = page.select(".comment-decisions button")
    assert [(b["name"], b["value"]) for b in buttons] == [
        ("_decision", "approve"),
        ("_decision", "spam"),
        ("_decision", "remove"),
    ]
    assert not any(b.has_attr("formaction") for b in buttons)


def test_approve_on_the_comment_page_saves_the_edit_and_publishes_the_reply(
    moderator_client, moderator
):
    parent = CommentFactory(state="pending", comment="Typo hree.")
    url = f"{CHANGELIST}{parent.pk}/change/"
    response = moderator_client.post(
        url,
        change_form(parent, comment="Typo here.", reply="Thank you.", _decision="approve"),
    )
    assert response.status_code == 302
    assert response["Location"] == url  # back on the comment's page
    parent.refresh_from_db()
    assert parent.state == Comment.State.PUBLISHED
    assert parent.moderated_by == moderator
    assert parent.comment == "Typo here."
    [reply] = site_replies(parent)
    assert reply.comment == "Thank you."
    shown = messages_of(moderator_client.get(url))
    assert "Your reply is published." in shown
    assert any("1 comment approved." in m and "Undo" in m for m in shown)


def test_approving_a_spam_comment_on_its_page_with_a_reply_approves_then_replies(
    moderator_client,
):
    parent = CommentFactory(state="spam")
    response = moderator_client.post(
        f"{CHANGELIST}{parent.pk}/change/",
        change_form(parent, reply="Sorry, the filter caught you.", _decision="approve"),
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.state == Comment.State.PUBLISHED
    assert len(site_replies(parent)) == 1


def test_spam_on_the_comment_page_with_a_reply_is_refused_with_everything_kept(
    moderator_client,
):
    parent = CommentFactory(state="pending", comment="Original.")
    response = moderator_client.post(
        f"{CHANGELIST}{parent.pk}/change/",
        change_form(parent, comment="Edited.", reply="My unsent words", _decision="spam"),
    )
    assert response.status_code == 200  # the page again, with the error beside the reply
    page = soup(response)
    assert "Clear the reply" in page.select_one(".field-reply .errorlist").get_text()
    assert page.select_one("textarea[name=reply]").get_text().strip() == "My unsent words"
    assert page.select_one("textarea[name=comment]").get_text().strip() == "Edited."
    parent.refresh_from_db()
    assert parent.state == Comment.State.PENDING
    assert parent.comment == "Original."
    assert site_replies(parent) == []


def test_spam_on_the_comment_page_saves_an_edit_with_the_decision(moderator_client):
    comment = CommentFactory(state="pending", comment="Buy pills at example.com")
    moderator_client.post(
        f"{CHANGELIST}{comment.pk}/change/",
        change_form(comment, comment="Buy pills [link removed]", _decision="spam"),
    )
    comment.refresh_from_db()
    assert comment.state == Comment.State.SPAM
    assert comment.comment == "Buy pills [link removed]"


def test_a_reply_to_a_removed_comment_is_refused_with_the_text_kept(moderator_client):
    """Save with a reply under a removed comment: it said so, but the text was gone."""
    comment = CommentFactory(state="removed")
    response = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/change/", change_form(comment, reply="Hello")
    )
    assert response.status_code == 200
    assert soup(response).select_one("textarea[name=reply]").get_text().strip() == "Hello"
    assert site_replies(comment) == []


def test_staff_who_may_edit_but_not_moderate_cannot_decide_from_the_page(client):
    from django.contrib.auth.models import Permission

    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_comment", "change_comment"])
    )
    client.force_login(editor)
    comment = CommentFactory(state="pending")
    response = client.post(
        f"{CHANGELIST}{comment.pk}/change/", change_form(comment, _decision="approve")
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.state == Comment.State.PENDING


# 2. Permanent delete only under Spam and Removed


def action_options(client, state=None):
    params = {"state": state} if state else {}
    page = soup(client.get(CHANGELIST, params))
    return [o["value"] for o in page.select("select[name=action] option") if o["value"]]


@pytest.mark.parametrize("state", [None, "pending", "published", "all"])
def test_no_permanent_delete_on_the_pending_published_and_all_tabs(admin_client, state):
    CommentFactory(state=state if state in {"pending", "published"} else "pending")
    assert "delete_selected" not in action_options(admin_client, state)


@pytest.mark.parametrize("state", ["spam", "removed"])
def test_permanent_delete_is_the_last_action_under_spam_and_removed(admin_client, state):
    CommentFactory(state=state)
    options = action_options(admin_client, state)
    assert options[-1] == "delete_selected"
    assert options[0] == "approve"
    page = soup(admin_client.get(CHANGELIST, {"state": state}))
    label = page.select_one("select[name=action] option[value=delete_selected]").get_text()
    assert label == "Delete selected comments permanently"


def test_moderators_without_the_delete_permission_never_see_it(moderator_client):
    CommentFactory(state="spam")
    assert "delete_selected" not in action_options(moderator_client, "spam")


@pytest.mark.parametrize("query", ["", "?state=pending", "?state=all"])
def test_posting_permanent_delete_from_another_tab_is_refused(admin_client, query):
    comment = CommentFactory(state="pending")
    response = admin_client.post(
        CHANGELIST + query,
        {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_permanent_delete_from_the_spam_tab_asks_then_deletes(admin_client):
    spam = CommentFactory(state="spam")
    data = {"action": "delete_selected", "_selected_action": [spam.pk]}
    asked = admin_client.post(CHANGELIST + "?state=spam", data)
    assert asked.status_code == 200  # Django's "Are you sure?"
    assert Comment.objects.filter(pk=spam.pk).exists()
    admin_client.post(CHANGELIST + "?state=spam", {**data, "post": "yes"})
    assert not Comment.objects.filter(pk=spam.pk).exists()


# 4. The card's state is not a button's style


def test_no_card_carries_a_class_that_styles_a_button(rf, moderator):
    request = rf.get(CHANGELIST)
    request.user = moderator
    cards = [CommentFactory(state=state) for state in Comment.State.values]
    queue.prepare(cards, request)
    html = "".join(queue.render_card(c, c.queue) for c in cards)
    page = BeautifulSoup(html, "html.parser")
    button_classes = {
        name for button in page.select(".qc-btn, button") for name in button.get("class", [])
    }
    assert "qc-spam" in button_classes  # the Spam button's own style
    for card in page.select("article.qc"):
        assert set(card["class"]) & button_classes == set(), card["class"]


# 5. Moderating on the article page


def in_place_form(client, comment, action):
    url = comment.content_object.get_absolute_url()
    page = soup(client.get(url))
    forms = page.find(id=f"c{comment.pk}").select(".moderate-here form")
    form = next(f for f in forms if f["action"].endswith(f"/{action}/"))
    return form["action"], {i["name"]: i.get("value", "") for i in form.select("input")}


def test_spam_on_the_article_page_says_so_with_undo_and_lands_on_the_discussion(
    moderator_client,
):
    held = CommentFactory(state="pending", comment="Cheap pills here")
    url = held.content_object.get_absolute_url()
    action, data = in_place_form(moderator_client, held, "spam")
    response = moderator_client.post(action, data)
    assert response["Location"] == f"{url}#moderated"  # the comment is gone from the page
    held.refresh_from_db()
    assert held.state == Comment.State.SPAM

    page = soup(moderator_client.get(url))
    assert page.find(id=f"c{held.pk}") is None
    message = page.find(id="moderated")
    assert "1 comment marked as spam." in message.get_text()
    undo = message.find("a", string="Undo")
    assert urlsplit(undo["href"]).path == f"{CHANGELIST}undo/"

    # Undo asks once (no script on the article page), then brings the comment back in place.
    confirm = soup(moderator_client.get(undo["href"]))
    form = confirm.select_one(".decision-confirm form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input")}
    back = moderator_client.post(undo["href"], fields)
    assert back["Location"] == f"{url}#c{held.pk}"
    held.refresh_from_db()
    assert held.state == Comment.State.PENDING
    page = soup(moderator_client.get(url))
    item = page.find(id=f"c{held.pk}")
    assert "1 comment put back." in item.select_one("#moderated").get_text()
    assert item.select_one(".moderate-here")


def test_approve_on_the_article_page_says_so_and_stays_on_the_comment(moderator_client):
    held = CommentFactory(state="pending")
    url = held.content_object.get_absolute_url()
    action, data = in_place_form(moderator_client, held, "approve")
    response = moderator_client.post(action, data)
    assert response["Location"] == f"{url}#c{held.pk}"
    page = soup(moderator_client.get(url))
    # Under the comment the page lands on: above the discussion it was out of sight on a phone.
    message = page.find(id=f"c{held.pk}").select_one(".moderating-note")
    assert message["id"] == "moderated" and message["role"] == "status"
    assert "1 comment approved." in message.get_text()
    assert message.find("a", string="Undo")
    assert len(page.select("#moderated")) == 1
    # Once: the next visit has no message.
    assert not soup(moderator_client.get(url)).select("#moderated")


def test_readers_never_get_the_message_area(client, moderator_client):
    held = CommentFactory(state="pending")
    url = held.content_object.get_absolute_url()
    action, data = in_place_form(moderator_client, held, "remove")
    moderator_client.post(action, data)
    assert soup(client.get(url)).find(id="moderated") is None


def test_a_published_reply_links_to_its_page_where_it_can_be_corrected(moderator_client, moderator):
    """A reply has no Undo: "Reply published." left a moderator who saw a typo searching the
    list for it. The card (with script) and the message (without) open the reply's page."""
    parent = CommentFactory(state="pending")
    card = moderator_client.post(
        f"{CHANGELIST}{parent.pk}/reply/",
        {f"reply-{parent.pk}": "Ask yuor physio.", "next": CHANGELIST},
        HTTP_X_FRAGMENT="row",
    )
    [reply] = site_replies(parent)
    url = f"{CHANGELIST}{reply.pk}/change/"
    notice = BeautifulSoup(card.content, "html.parser").select_one(".qc-notice")
    # The held comment approved with it is said, with Undo (it said only "Reply published.").
    assert notice.get_text(" ", strip=True) == "Approved. Reply published. Undo Open your reply"
    assert notice.find("a", string="Open your reply")["href"] == url
    assert notice.select_one("a.undo-link")["href"].startswith(f"{CHANGELIST}undo/?token=")

    undo = notice.select_one("a.undo-link")["href"]
    moderator_client.post(f"{CHANGELIST}undo/", {"token": parse_qs(urlsplit(undo).query)["token"]})
    parent.refresh_from_db()
    assert parent.state == "pending"
    decisions.decide([parent], Comment.State.PUBLISHED, moderator)
    # A reply to a published comment approves nothing: no Undo.
    card = moderator_client.post(
        f"{CHANGELIST}{parent.pk}/reply/",
        {f"reply-{parent.pk}": "And this.", "next": CHANGELIST},
        HTTP_X_FRAGMENT="row",
    )
    notice = BeautifulSoup(card.content, "html.parser").select_one(".qc-notice")
    assert notice.get_text(" ", strip=True) == "Reply published. Open your reply"
    # Without script: a reply alone, and Approve with a typed reply.
    other = CommentFactory(state="pending")
    for path in (f"{other.pk}/reply/", f"{other.pk}/moderate/approve/"):
        response = moderator_client.post(
            CHANGELIST + path, {f"reply-{other.pk}": "Thank you.", "next": CHANGELIST}, follow=True
        )
        newest = Comment.objects.filter(parent_id=other.pk, from_site=True).latest("pk")
        link = (
            f'<a class="message-action" href="{CHANGELIST}{newest.pk}/change/">Open your reply</a>'
        )
        assert f"Your reply is published. {link}" in messages_of(response)
        if path.endswith("/reply/"):  # it approved the held comment: said, with Undo
            approved = [m for m in messages_of(response) if m.startswith("1 comment approved.")]
            assert len(approved) == 1 and 'class="undo-link"' in approved[0]
