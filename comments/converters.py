"""The ``comment_id`` path converter, for the readers' and the moderators' comment addresses
(registered in ``CommentsConfig.ready``, before any URLconf is read)."""

# A comment's id is an AutoField: a larger number names no comment (and SQLite, the embedded
# default, raised OverflowError, a 500, for one past its integers).
MAX_COMMENT_ID = 2**31 - 1


class CommentIdConverter:
    """A comment's id in an address; any other number does not match (a 404)."""

    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        if int(value) > MAX_COMMENT_ID:
            raise ValueError("no comment has this id")  # Django: the pattern does not match
        return int(value)

    def to_url(self, value) -> str:
        return str(value)
