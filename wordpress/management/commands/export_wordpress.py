"""Write every article and comment as a WordPress export (WXR 1.2) file.

Usage: ``manage.py export_wordpress [--output FILE]`` (standard output without ``--output``).

WordPress's importer (Tools > Import > WordPress) reads the file: articles become posts with
their sanitised HTML, comments keep their threads, dates and states (held ones pending, spam
as spam, removed ones in the trash). ``import_wordpress`` reads it too, so the words readers
wrote here are never locked in.
"""

from django.core.management.base import BaseCommand, CommandError

from wordpress.transfer import write_wxr


class Command(BaseCommand):
    help = "Write all articles and comments as a WordPress export (WXR) file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help="File to write (default: standard output).", default="-"
        )

    def handle(self, *args, output="-", **options):
        if output == "-":
            write_wxr(_Unchanged(self.stdout))
            return
        try:
            with open(output, "w", encoding="utf-8") as out:
                articles, comments = write_wxr(out)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {articles} article(s) and {comments} comment(s) to {output}."
            )
        )


class _Unchanged:
    """Django's command output adds a newline to each write; the XML needs its text as is."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")
