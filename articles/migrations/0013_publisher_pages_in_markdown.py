"""The five publisher's pages this project ships, written again in Markdown.

They were shipped as HTML, which editors then read in the Markdown box. A page is changed only
while it still holds exactly the text shipped (an edited page is the editors' own) and back
only while it holds exactly this Markdown. Readers see the same words, lists, links and
emphasis; the headings now link to themselves, as an article's do."""

import importlib

from django.db import migrations

# The HTML as the migrations that created the pages wrote it (migrations do not change).
_disclaimer = importlib.import_module("articles.migrations.0005_medical_disclaimer_flatpage")
_publisher = importlib.import_module("articles.migrations.0006_site_settings_and_publisher_pages")
_privacy = importlib.import_module("comments.migrations.0005_privacy_page")
_shipped = {page["url"]: page["content"] for page in _publisher.PAGES}


PRIVACY_MARKDOWN = """\
This site publishes health information and hosts a moderated discussion under it. What you write about your health is sensitive, so we keep as little as we can, for as short a time as we can, and never sell or share it.

## What we keep when you comment

- **Your name**: shown with your comment. It does not have to be your real name.
- **Your email address**: never shown. We use it to recognise a returning commenter and, only if you ask for it and confirm your address, to tell you about replies to your comment. Every such email has a link to stop them.
- **Your website**, if you give one: linked from your name.
- **Your comment**: shown once a moderator has read it (or at once, when a moderator has already approved a comment of yours from the same browser).
- **Your IP address**: never shown. Moderators use it against spam and abuse. It is deleted 30 days after you comment.

## Cookies

- `np_commenter` is set when you post a comment. It holds a random key, signed by the site, that recognises this browser: so that you, and only you, can see your comment while it waits for moderation, and so that once a moderator has approved one of your comments your next ones appear at once. We store only a fingerprint (a hash) of the key. It lasts a year.
- `np_remember` is set only if you tick "remember me": it keeps your name, email and website to fill in the form next time. Post without ticking the box to remove it.

There are no trackers, analytics, advertising, third-party scripts, fonts or avatars on this site.

## Why

We need your comment and a name to publish them; your email and IP address to keep the discussion safe from spam, abuse and impersonation; and your email, if you ask, to send you replies. Nothing is used for anything else.

## How long

IP addresses: 30 days. Everything else: as long as your comment is on the site, or until you ask us to erase it.

## Your copy, and erasure

You can ask for a copy of everything we hold about you (your comments, their dates and articles, IP addresses we still have, reply-email subscriptions), sent to you as a file. You can also ask us to erase it: your name, email, website and IP address are removed from all your comments and reply emails stop; your words are either removed (replaced by "[removed at the author's request]") or kept without your name, as you prefer.

To ask, write to the editors of this site from the email address you commented with. We answer within one month.
"""


DISCLAIMER_MARKDOWN = """\
The articles on this site are general health information, not medical advice. They cannot take into account your own history, symptoms or treatment, and they do not replace a consultation with your doctor, physical therapist or another qualified health professional.

Do not ignore professional advice or delay seeking it because of something you read here. If you think you may have a medical emergency, call your local emergency number at once.
"""


ABOUT_MARKDOWN = """\
nervepain publishes plain-language information about nerve pain: what causes it, how it is treated, and how people live with it. We write for patients and the people who care for them.

## Who writes and reviews our articles

Every article names who wrote it. Articles are checked by a health professional before we say they are medically reviewed, and each one shows who reviewed it and when. Each author and reviewer has a profile page with their qualifications.

## How we are funded

We carry no advertising and no trackers. We do not accept payment to publish or change an article.

Read our [editorial policy](/editorial-policy/), or [contact the editors](/contact/).
"""


POLICY_MARKDOWN = """\
This page explains how we write, check and update the health information on this site.

## Sources

We base articles on current clinical guidance and peer-reviewed research, and list the sources each article uses under “References”.

## Medical review

An article is marked “Medically reviewed” only after a named health professional has read it for accuracy. The review date is shown on the article, and every article is due for review again within a year.

## Corrections

If you find a mistake, please [tell us](/contact/). We correct errors promptly and update the “Last updated” date.

## Independence

We do not publish sponsored content. Calls to action on articles are labelled and kept apart from the information.
"""


CONTACT_MARKDOWN = """\
Write to us about a mistake in an article, a question about our editorial policy, or a request about your personal data.

We cannot give personal medical advice. If you are worried about your symptoms, speak to your doctor; in an emergency, call your local emergency number.
"""

# url: (the HTML shipped, the same page in Markdown)
PAGES = {
    _privacy.URL: (_privacy.CONTENT, PRIVACY_MARKDOWN),
    _disclaimer.URL: (_disclaimer.CONTENT, DISCLAIMER_MARKDOWN),
    "/about/": (_shipped["/about/"], ABOUT_MARKDOWN),
    "/editorial-policy/": (_shipped["/editorial-policy/"], POLICY_MARKDOWN),
    "/contact/": (_shipped["/contact/"], CONTACT_MARKDOWN),
}


def _replace(apps, old, new):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    for url, texts in PAGES.items():
        FlatPage.objects.filter(url=url, content=texts[old]).update(content=texts[new])


def to_markdown(apps, schema_editor):
    _replace(apps, 0, 1)


def to_html(apps, schema_editor):
    _replace(apps, 1, 0)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_person_photos_as_small_squares"),
        ("comments", "0005_privacy_page"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_markdown, to_html)]
