"""Moving a WordPress site's posts and discussion in, and ours out, as WXR files.

``import_wxr`` reads an export as a stream (``wordpress.wxr``), makes each post an article
(``wordpress.posts``) and each of its comments one of ours, keyed on the WordPress ids it
stores, so a second run adds nothing. ``write_wxr`` writes every article and comment back out.

Imported comments keep their WordPress status (approved: published; held: pending, waiting in
the moderation queue with the reason "Imported from WordPress"; spam; trashed: removed), their
author's name, email, website and IP, their date and their threading. WordPress allows a few
HTML tags in comments; ours are plain text, so the text is kept and the tags dropped (a link
keeps its address after its text). Nothing is emailed: saving a comment sends nothing, only
the posting view and moderation do. Pingbacks and trackbacks are not readers' words and are
skipped. WordPress threads can be ten levels deep, ours three: a deeper reply is attached to
the deepest allowed level, as a reply posted here would be.
"""

import datetime
import ipaddress
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import BinaryIO, TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_comments_xtd.models import max_thread_level_for_content_type

from articles.models import Article
from comments.models import Comment
from wordpress.posts import (
    IMPORTED_STATUSES,
    AuthorResolver,
    author_from_user,
    html_to_text,
    import_post,
    post_from_article,
    text_to_html,
)
from wordpress.wxr import WxrComment, WxrPost, WxrReader, WxrWriter

STATES = {
    "1": Comment.State.PUBLISHED,
    "approve": Comment.State.PUBLISHED,
    "0": Comment.State.PENDING,
    "hold": Comment.State.PENDING,
    "spam": Comment.State.SPAM,
    "trash": Comment.State.REMOVED,
    "post-trashed": Comment.State.REMOVED,
}
WORDPRESS_APPROVED = {
    Comment.State.PUBLISHED: "1",
    Comment.State.PENDING: "0",
    Comment.State.SPAM: "spam",
    Comment.State.REMOVED: "trash",
}
COMMENT_TYPES = {"", "comment"}
NAME_LENGTH = Comment._meta.get_field("user_name").max_length
EMAIL_LENGTH = Comment._meta.get_field("user_email").max_length
URL_LENGTH = Comment._meta.get_field("user_url").max_length
ANONYMOUS = "Anonymous"
EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)
# Invisible and direction-changing characters are refused in names typed here; in imported
# names they are dropped (see comments.text.clean_display_name).
_INVISIBLE = {"Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"}


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    articles_created: int = 0
    articles_existing: int = 0
    posts_skipped: Counter = field(default_factory=Counter)  # by "type/status"
    comments_created: int = 0
    comments_existing: int = 0
    comments_skipped: Counter = field(default_factory=Counter)  # by comment type
    comments_by_state: Counter = field(default_factory=Counter)
    replies_moved_up: int = 0
    users_created: int = 0
    notes: list[str] = field(default_factory=list)


def import_wxr(stream: BinaryIO, post_types: set[str]) -> ImportReport:
    """Import posts of ``post_types`` and their comments. Call inside a transaction.

    Raises :class:`wordpress.wxr.WxrError` where the file cannot be read; the caller's
    transaction then leaves the database as it was.
    """
    report = ImportReport()
    reader = WxrReader(stream)
    authors = AuthorResolver(reader.authors)
    for post in reader.posts():
        if post.post_type not in post_types or post.status not in IMPORTED_STATUSES:
            report.posts_skipped[f"{post.post_type or '?'}/{post.status or '?'}"] += 1
            continue
        result = import_post(post, authors)
        if result.created:
            report.articles_created += 1
        else:
            report.articles_existing += 1
        report.notes += [f"{post.where}: {note}" for note in result.notes]
        CommentImport(result.article, report).run(post)
    report.users_created = authors.created
    return report


def _chronological(comment: WxrComment):
    return (comment.date or EARLIEST, comment.id)


def _clean_name(value: str) -> str:
    name = unicodedata.normalize("NFKC", html_to_text(value, single_line=True))
    name = "".join(char for char in name if unicodedata.category(char) not in _INVISIBLE)
    return " ".join(name.split())[:NAME_LENGTH] or ANONYMOUS


def _clean_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _clean_url(value: str) -> str:
    value = value.strip()
    ok = value.lower().startswith(("http://", "https://")) and len(value) <= URL_LENGTH
    return value if ok else ""


class CommentImport:
    """The comments of one post: parents before replies, each at most once."""

    def __init__(self, article: Article, report: ImportReport):
        self.article = article
        self.report = report
        self.max_level = max_thread_level_for_content_type(
            ContentType.objects.get_for_model(Article)
        )
        self.by_wp_id: dict[int, Comment] = {}
        self.by_pk: dict[int, Comment] = {}

    def run(self, post: WxrPost) -> None:
        wanted = []
        for comment in post.comments:
            if comment.type in COMMENT_TYPES:
                wanted.append(comment)
            else:
                self.report.comments_skipped[comment.type] += 1
        if not wanted:
            return
        ids = {comment.id for comment in wanted}
        imported = Comment.objects.filter(wp_comment_id__in=ids)
        existing = set(imported.values_list("wp_comment_id", flat=True))
        self.report.comments_existing += len(existing)
        # Replies may arrive now to comments imported by an earlier run.
        for known in Comment.objects.for_object(self.article).filter(
            wp_comment_id__in=ids | {comment.parent for comment in wanted}
        ):
            self._remember(known)
        self._create_in_order([c for c in wanted if c.id not in existing], ids)

    def _remember(self, comment: Comment) -> None:
        self.by_wp_id[comment.wp_comment_id] = comment
        self.by_pk[comment.pk] = comment

    def _create_in_order(self, todo: list[WxrComment], ids_in_file: set[int]) -> None:
        # Oldest first, so that replies to one comment keep their order in its thread; a reply
        # that comes before its parent waits for it.
        waiting: dict[int, list[WxrComment]] = defaultdict(list)
        for comment in sorted(todo, key=_chronological):
            if comment.parent in ids_in_file and comment.parent not in self.by_wp_id:
                waiting[comment.parent].append(comment)
            else:
                self._create_with_replies(comment, waiting)
        # Still waiting: their parent never came (a loop of parents), so they start threads.
        for comment in sorted(chain.from_iterable(list(waiting.values())), key=_chronological):
            if comment.id not in self.by_wp_id:
                comment.parent = 0
                self._create_with_replies(comment, waiting)

    def _create_with_replies(self, comment: WxrComment, waiting) -> None:
        stack = [comment]
        while stack:
            comment = stack.pop()
            if comment.id in self.by_wp_id:  # reached twice through a loop of parents
                continue
            self._create(comment)
            stack.extend(reversed(waiting.pop(comment.id, [])))

    def _attach_to(self, parent: Comment | None) -> Comment | None:
        if parent is not None and parent.level >= self.max_level:
            self.report.replies_moved_up += 1
            while parent is not None and parent.level >= self.max_level:
                parent_pk = parent.parent_id
                parent = self.by_pk.get(parent_pk) or Comment.objects.filter(pk=parent_pk).first()
        return parent

    def _create(self, source: WxrComment) -> None:
        parent = self._attach_to(self.by_wp_id.get(source.parent) if source.parent else None)
        state = STATES.get(source.approved, Comment.State.PENDING)
        comment = Comment(
            content_object=self.article,
            site_id=settings.SITE_ID,
            user_name=_clean_name(source.author),
            user_email=source.author_email[:EMAIL_LENGTH],
            user_url=_clean_url(source.author_url),
            ip_address=_clean_ip(source.author_ip),
            submit_date=source.date or timezone.now(),
            comment=html_to_text(source.content),
            state=state,
            reason=Comment.Reason.IMPORTED,
            parent_id=parent.pk if parent else 0,
            followup=False,
            wp_comment_id=source.id,
        )
        comment.save()
        self._remember(comment)
        self.report.comments_created += 1
        self.report.comments_by_state[state] += 1


def wxr_comment(comment: Comment) -> WxrComment:
    """One of our comments as a WordPress comment (its text escaped: WordPress shows HTML)."""
    return WxrComment(
        id=comment.pk,
        author=comment.user_name,
        author_email=comment.user_email,
        author_url=comment.user_url,
        author_ip=comment.ip_address or "",
        date=comment.submit_date,
        content=text_to_html(comment.comment),
        approved=WORDPRESS_APPROVED[comment.state],
        type="comment",
        parent=comment.parent_id if comment.is_reply else 0,
    )


def write_wxr(out: TextIO) -> tuple[int, int]:
    """Write every article, with all its comments, as WXR 1.2. Return (articles, comments).

    Articles are read in batches and each article's comments in one query, so memory stays
    flat however large the site is. Comments go out parents first (by id), which WordPress's
    importer needs to rebuild threads.
    """
    writer = WxrWriter(out)
    users = get_user_model().objects.filter(
        pk__in=Article.objects.exclude(author=None).values("author")
    )
    writer.start(
        title=settings.SITE_NAME,
        link=settings.SITE_URL.rstrip("/"),
        description="",
        language=settings.LANGUAGE_CODE,
        authors=[author_from_user(user) for user in users.order_by("pk")],
    )
    articles = comments = 0
    for article in Article.objects.select_related("author").order_by("pk").iterator(500):
        post = post_from_article(article)
        post.comments = [
            wxr_comment(comment)
            for comment in Comment.objects.for_object(article).order_by("pk").iterator(500)
        ]
        writer.item(post)
        articles += 1
        comments += len(post.comments)
    writer.end()
    return articles, comments
