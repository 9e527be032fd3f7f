"""The ``comment_id`` path converter, for the readers' and the moderators' comment addresses
(registered in ``CommentsConfig.ready``, before any URLconf is read)."""


class CommentIdConverter:
    """A comment's id, at most 18 digits: SQLite (the embedded default) raised OverflowError,
    a 500, for a larger number in the address, where there is simply no such comment."""

    regex = "[0-9]{1,18}"
    to_python = int
    to_url = str
