from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations

URL = "/privacy/"
TITLE = "Privacy: what we keep when you comment, and why"
CONTENT = """\
<p>This site publishes health information and hosts a moderated discussion under it. What you
write about your health is sensitive, so we keep as little as we can, for as short a time as
we can, and never sell or share it.</p>

<h2>What we keep when you comment</h2>
<ul>
<li><strong>Your name</strong>: shown with your comment. It does not have to be your real
name.</li>
<li><strong>Your email address</strong>: never shown. We use it to recognise a returning
commenter and, only if you ask for it and confirm your address, to tell you about replies to
your comment. Every such email has a link to stop them.</li>
<li><strong>Your website</strong>, if you give one: linked from your name.</li>
<li><strong>Your comment</strong>: shown once a moderator has read it (or at once, when a
moderator has already approved a comment of yours from the same browser).</li>
<li><strong>Your IP address</strong>: never shown. Moderators use it against spam and abuse.
It is deleted 30 days after you comment.</li>
</ul>

<h2>Cookies</h2>
<ul>
<li><code>np_commenter</code> is set when you post a comment. It holds a random key, signed by
the site, that recognises this browser: so that you, and only you, can see your comment while
it waits for moderation, and so that once a moderator has approved one of your comments your
next ones appear at once. We store only a fingerprint (a hash) of the key. It lasts a
year.</li>
<li><code>np_remember</code> is set only if you tick "remember me": it keeps your name, email
and website to fill in the form next time. Post without ticking the box to remove it.</li>
</ul>
<p>There are no trackers, analytics, advertising, third-party scripts, fonts or avatars on
this site.</p>

<h2>Why</h2>
<p>We need your comment and a name to publish them; your email and IP address to keep the
discussion safe from spam, abuse and impersonation; and your email, if you ask, to send you
replies. Nothing is used for anything else.</p>

<h2>How long</h2>
<p>IP addresses: 30 days. Everything else: as long as your comment is on the site, or until
you ask us to erase it.</p>

<h2>Your copy, and erasure</h2>
<p>You can ask for a copy of everything we hold about you (your comments, their dates and
articles, IP addresses we still have, reply-email subscriptions), sent to you as a file. You
can also ask us to erase it: your name, email, website and IP address are removed from all
your comments and reply emails stop; your words are either removed (replaced by
"[removed at the author's request]") or kept without your name, as you prefer.</p>
<p>To ask, write to the editors of this site from the email address you commented with. We
answer within one month.</p>
"""


def create_privacy_page(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    FlatPage = apps.get_model("flatpages", "FlatPage")
    site, created = Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": "example.com", "name": "example.com"}
    )
    if created:
        # An explicit id does not move PostgreSQL's sequence: the next site would clash.
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Site]):
                cursor.execute(sql)
    page, _ = FlatPage.objects.get_or_create(url=URL, defaults={"title": TITLE, "content": CONTENT})
    page.sites.add(site)


def delete_privacy_page(apps, schema_editor):
    apps.get_model("flatpages", "FlatPage").objects.filter(url=URL).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_privacy_request_permission"),
        ("flatpages", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(create_privacy_page, delete_privacy_page)]
