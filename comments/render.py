"""The comment tree as HTML, in one pass over one query's rows.

A Django template loop costs about half a millisecond per comment; this costs a few
microseconds, which is what keeps a 1,000-comment page cheap. Everything from a reader is
escaped here, except ``comment_html``, which ``comments.text.render_comment_text`` produced
(escaped, then sanitised) when the comment was saved.
"""

from collections import Counter

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString

from comments.models import ERASED_TEXT, Comment
from comments.text import render_comment_text

# The fields the tree needs; fetched with values_list(), without building model instances.
FIELDS = [
    "pk",
    "parent_id",
    "level",
    "state",
    "user_name",
    "user_url",
    "submit_date",
    "comment_html",
    "from_site",
    "urgent",
    "site_note",
    "commenter_key_hash",
    "replied_to",
    "followup",  # a writer's own comment may need "Check your email" (comments.templatetags)
    # A writer's own held comment: whether an edit may have sent it back (ditto). One held
    # when posted has had no decision (moderated_at).
    "reason",
    "moderated_at",
]
_PUBLISHED, _PENDING, _REMOVED = (
    Comment.State.PUBLISHED,
    Comment.State.PENDING,
    Comment.State.REMOVED,
)
_STATE_AT = FIELDS.index("state")
# A comment its writer had erased with its text keeps its place (its replies stay under it);
# there is nothing left in it to answer or to report.
_ERASED_HTML = render_comment_text(ERASED_TEXT)


# Why an edit sent a published comment back to the queue, in its writer's words
# (``controls._hold_for``'s reasons).
HELD_AGAIN_BECAUSE = {
    Comment.Reason.EDITED: "your edit added a link",
    Comment.Reason.MEDICAL: "your edit added advice about medicines or treatment",
    Comment.Reason.HOLD_WORD: "your edit added words our moderators check",
    Comment.Reason.CRISIS: "your edit added words our moderators read first",
}


def visible_rows(rows, state_at=None):
    """Depth-first rows (parents first), minus those whose parent is not shown (held, spam or
    removed).

    With ``state_at`` (where each row holds its state), a removed row is a comment its writer
    deleted (``CommentQuerySet.in_threads`` gives no other): it stays, as a place in the
    thread, while a row under it is shown, so the others' replies to it are not lost; with
    none under it, it goes.
    """
    if state_at is None:
        shown = set()
        for row in rows:
            pk, parent_id = row[0], row[1]
            if parent_id in (0, pk) or parent_id in shown:
                shown.add(pk)
                yield row
        return
    rows = list(rows)
    shown, parents, deleted = set(), {}, set()
    for row in rows:
        pk, parent_id = row[0], row[1]
        if parent_id in (0, pk) or parent_id in shown:
            shown.add(pk)
            parents[pk] = parent_id
            if row[state_at] == _REMOVED:
                deleted.add(pk)
    kept = set()  # deleted comments with a comment shown under them, at any depth
    for pk in shown - deleted:
        parent = parents[pk]
        while parent in deleted and parent not in kept:
            kept.add(parent)
            parent = parents[parent]
    for row in rows:
        if row[0] in shown and (row[0] not in deleted or row[0] in kept):
            yield row


def crisis_section(box_id, heading, message, links, level="h3", focus=False) -> str:
    """The one crisis box, wherever a reader is shown the site's resources: ``heading`` and
    ``message`` over the ``links`` ((text, address) pairs, ``CrisisSupport.links``). ``level``
    fits the page's outline; ``focus`` puts the keyboard and a screen reader there when the
    page opens."""
    items = "".join(
        f'<li><a href="{escape(address)}">{escape(text)}</a></li>'
        if address
        else f"<li>{escape(text)}</li>"
        for text, address in links
    )
    focused = ' tabindex="-1" autofocus' if focus else ""
    return (
        f'<section class="crisis" aria-labelledby="{box_id}"{focused}>'
        f'<{level} id="{box_id}">{escape(heading)}</{level}>'
        f"<p>{escape(message)}</p>"
        f"{f'<ul>{items}</ul>' if items else ''}</section>"
    )


def crisis_box(support, pk, heading="h3", focus=False) -> str:
    """The crisis resources shown under a writer's own urgent held comment (only to them), or
    above the form of a refused one (``heading`` then fits that page's outline, and ``focus``
    puts the keyboard and a screen reader there when the page opens)."""
    return crisis_section(
        f"c{pk}-crisis", support.heading, support.message, support.links(), heading, focus
    )


def worried_box(links) -> SafeString:
    """The resources for a reader who reported being worried about a comment's writer
    (``comments.reader_views``), on the thanks or above a refusal: what to do when none are
    listed, too."""
    if links:
        message = "If you know them, or how to reach them, please don't wait for us: these "
        message += "services can help you, and them."
    else:
        message = "If you know them, or how to reach them, please don't wait for us: call "
        message += "your local emergency number."
    heading = "If you think they are in danger now"
    return SafeString(crisis_section("danger-heading", heading, message, links, "h2"))


def mask_email(address: str) -> str:
    """An address as its owner recognises it and a passer-by of the screen does not learn it:
    ``j***@example.org``."""
    local, _at, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"


def confirmation_note(pk, masked: str, state: str = "sent") -> str:
    """Under a writer's own comment that asked for reply emails: without opening the link
    sent to the address, no reply email comes (``notifications.request_confirmation``).

    The same words whatever the address's history, which is not this browser's to learn:
    the note said "We've sent a link", or "our earlier link" (someone commented with the
    address today), or nothing at all (the address is confirmed), so anyone could type an
    address to find out whether its owner comments here. ``state`` "failed" alone differs:
    the email to this comment could not be sent (and no retry is left), so the note does not
    say it was, and says how to ask again (the day's one request was not used up)."""
    if state == "failed":
        return (
            f'<p class="confirm-email" id="c{pk}-confirm" role="status">'
            f"<strong>We could not send you a link.</strong> The email to {escape(masked)} "
            "did not go, so none will come when someone replies. To ask again, tick "
            "“Email me when someone replies to me"
            "” when you next comment.</p>"
        )
    return (
        f'<p class="confirm-email" id="c{pk}-confirm" role="status">'
        "<strong>Check your email.</strong> To get emails when someone replies, open the link "
        f"we send to {escape(masked)} (one a day, and none once the address is confirmed).</p>"
    )


def hidden_words(words: str) -> str:
    """Words a screen reader reads in a control's name that the page does not show: the
    control looks as it did, and its name begins with the word shown. ``words`` is escaped
    already."""
    return f'<span class="visually-hidden"> {words}</span>'


def render_tree(
    rows,
    *,
    can_reply: bool,
    site_name: str,
    controls: dict | None = None,
    crisis_support=None,
    key_hash: str = "",
    editable_since=None,
    admin_url: str = "",
    unconfirmed: dict | None = None,
    held_again: dict | None = None,
) -> tuple[SafeString, int, dict]:
    """Return (the ``<ol>`` of comments, how many readers see, {public pk: author name} of
    those that may be replied to).

    The count is the same for every browser, as the page's structured data and the lists'
    "N comments" (``threads.shown_counts``) give it: public comments under public ones only
    (or under the place of one its writer deleted, which itself does not count).
    A browser's own held comment shows the public replies under it, and a moderator's page
    every held one: neither counts them.

    ``controls`` ({pk: HTML}) is for a moderator's page: a held comment shows its controls
    (see ``comments/moderate_in_place.html``) instead of the "awaiting moderation" note, and
    the comment a decision on the page just landed on, held or public, its messages.

    The markup is kept lean (about 345 bytes around each comment's text), since a popular
    article carries hundreds of them: classes only where CSS or script needs them.

    Each comment's links are named for it ("Reply to Ann", "Report comment by Ann"): the
    visible word first, then hidden words (``hidden_words``), so a screen reader's list of
    links tells them apart and a speech user still says "Reply" (WCAG 2.5.3, label in name).

    ``crisis_support`` (a callable giving the site's ``CrisisSupport``) is called only if an
    urgent held comment is shown, which happens only to the browser that wrote it.

    Every public comment has a Report link, but this browser's own and one whose writer had
    it erased with its text (nothing is left to answer or report: it has neither Reply nor
    Report). The comments this browser wrote (``key_hash``) after ``editable_since`` get Edit
    and Delete links: only that browser's page has them, and such a page is never shared (see
    ``articles.pagecache``).

    ``unconfirmed`` ({pk: (masked address, "sent" or "failed")}) names this
    browser's comments that asked for reply emails lately: each says to open the link sent to
    the address, or that it could not be sent (``confirmation_note``). Only
    that browser's page has them, never a shared one.

    ``held_again`` ({pk: reason}) names this browser's published comments that an edit sent
    back to the queue (``controls.edit``): each says why, where a new comment's says only
    that it waits. Only that browser's page has them, never a shared one.

    ``admin_url`` (a moderator's page: the comment admin's address before the pk) gives each
    public comment a "Moderate" link to its page in the admin instead of Report, as WordPress
    shows "Edit" under each comment to those who may moderate: the "a reader is worried" email
    leads to the comment on the article, and its page in the admin is where to write to its
    writer, reply as the site or hold it.
    """
    base = reverse("comments:report", args=[0]).removesuffix("0/report/")
    parts, names, previous_level = [], {}, -1
    unanswerable = set()  # erased with their text: named in replies, not to be replied to
    shown_to_all = set()  # public comments under public ones: what every reader sees
    deleted = {row[0] for row in rows if row[_STATE_AT] == _REMOVED}  # by their writers
    places = set()  # ...those shown as their place
    passed = set()  # ...those in the place of one shown to all
    # This browser's comments it may still change, by the minute each was sent: they are
    # named by it, and two of one minute by the second too.
    own_minutes = Counter(
        f"{row[6]:%H:%M}"
        for row in (rows if key_hash and editable_since else ())
        if row[11] == key_hash and row[6] > editable_since
    )
    badge = f' <span class="badge">From {escape(site_name)}</span>'
    support = None
    for row in visible_rows(rows, _STATE_AT):
        pk, parent, level, state, name, url, submitted, text, from_site, urgent, note, key, to = (
            row[:13]
        )
        if level > previous_level:
            parts.append('<ol class="children">' if previous_level >= 0 else "")
        else:
            parts.append("</li>" + "</ol></li>" * (previous_level - level))
        previous_level = level
        if state == _REMOVED:  # deleted by its writer: its place, for the replies under it
            places.add(pk)
            if parent in (0, pk) or parent in shown_to_all or parent in passed:
                passed.add(pk)
            moderate = (  # a moderator's page: its page in the admin, as other comments have
                f' <a class="moderate-link" href="{admin_url}{pk}/change/">Moderate'
                f"{hidden_words('comment deleted by its writer')}</a>"
                if admin_url
                else ""
            )
            parts.append(
                f'<li id="c{pk}" class="withdrawn"><p>Comment deleted by its writer{moderate}</p>'
            )
            continue
        name = escape(name)
        url = escape(url) if url and url.lower().startswith(("http://", "https://")) else ""
        author = f'<a href="{url}" rel="nofollow ugc noopener">{name}</a>' if url else name
        pending = state == _PENDING
        classes = " ".join(c for c, on in (("from-site", from_site), ("pending", pending)) if on)
        parts.append(
            f'<li id="c{pk}"{f" class={chr(34)}{classes}{chr(34)}" if classes else ""}>'
            f'<p class="comment-meta"><b id="c{pk}-a">{author}</b>{badge if from_site else ""} '
            f'<a href="#c{pk}"><time datetime="{submitted:%Y-%m-%dT%H:%MZ}">'
            f"{submitted:%-d %b %Y}</time></a></p>"
        )
        # A moderator's controls come after the text (below): the comment read before the
        # buttons, as WordPress's row actions come under it.
        controlled = bool(controls) and pk in controls
        if pending and not controlled:
            if urgent and crisis_support is not None:
                support = support or crisis_support()
                parts.append(crisis_box(support, pk))
            again = held_again.get(pk) if held_again else None
            if again is None:
                said = "Your comment is awaiting moderation."
            elif again:
                said = (
                    "Your edited comment is awaiting moderation, because "
                    f"{HELD_AGAIN_BECAUSE[again]}: a moderator reads it before others see it again."
                )
            else:  # edited again while held: what held it may be gone
                said = (
                    "Your edited comment is awaiting moderation: a moderator reads it before "
                    "others see it again."
                )
            parts.append(
                f'<p class="awaiting" role="status">{said} '
                "Only you can see it, in this browser.</p>"
            )
        if unconfirmed and pk in unconfirmed:
            parts.append(confirmation_note(pk, *unconfirmed[pk]))
        if to in names:  # placed under the comment above the one it answers (deepest level)
            parts.append(f'<p class="in-reply-to">In reply to <a href="#c{to}">{names[to]}</a></p>')
        elif to in places:  # ...which its writer deleted since
            parts.append(
                f'<p class="in-reply-to">In reply to <a href="#c{to}">a deleted comment</a></p>'
            )
        elif to in deleted:  # ...not even its place shown (nothing under it)
            parts.append('<p class="in-reply-to">In reply to a deleted comment</p>')
        parts.append(f'<div class="comment-text">{text}</div>')
        if controlled:
            parts.append(controls[pk])
        if note:
            parts.append(f'<p class="site-note">{badge.strip()} {escape(note)}</p>')
        own = ""
        if key_hash and key == key_hash and editable_since and submitted > editable_since:
            # Named by their time (a writer's own comments share the writer's name); two sent
            # in one minute were two "Edit your comment of 16:00 UTC" links. On the row of its
            # Reply, as Report is on others' (they stood on a row of their own above it).
            when = f"{submitted:%H:%M}"
            if own_minutes[when] > 1:
                when = f"{submitted:%H:%M:%S}"
            own = (
                f' <span class="own-controls"><a class="edit-link" href="{base}{pk}/edit/">Edit'
                f"{hidden_words(f'your comment of {when} UTC')}</a> "
                f'<a href="{base}{pk}/delete/">Delete'
                f"{hidden_words(f'your comment of {when} UTC')}</a></span>"
            )
        if state == _PUBLISHED:
            if parent in (0, pk) or parent in shown_to_all or parent in passed:
                shown_to_all.add(pk)
            names[pk] = name
            erased = text == _ERASED_HTML
            if erased:
                unanswerable.add(pk)
            if can_reply and not erased:
                parts.append(
                    f'<a class="reply-link" href="?reply_to={pk}#respond">Reply'
                    f"{hidden_words(f'to {name}')}</a>"
                )
            if admin_url:
                parts.append(
                    f' <a class="moderate-link" href="{admin_url}{pk}/change/">Moderate'
                    f"{hidden_words(f'comment by {name}')}</a>"
                )
            elif not erased and not (key_hash and key == key_hash):  # not one's own
                # No class: CSS finds it by its href.
                parts.append(
                    f' <a href="{base}{pk}/report/">Report{hidden_words(f"comment by {name}")}</a>'
                )
        parts.append(own)
    if previous_level >= 0:
        parts.append("</li>" + "</ol></li>" * previous_level)
    html = '<ol class="comment-list">' + "".join(parts) + "</ol>" if parts else ""
    replyable = {pk: name for pk, name in names.items() if pk not in unanswerable}
    return SafeString(html), len(shown_to_all), replyable
