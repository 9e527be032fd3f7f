"""Posing as the site with look-alike letters: names are compared by how they look.

Reserved names (the site's name, "admin", "moderator"...) are compared by their Unicode
confusable skeleton (UTS #39), so letters from another script, fullwidth or mathematical
letters, small capitals, accents, separators and invisible characters do not make a new name.
A word may not mix alphabets, and a trusted commenter who changes name is held.
"""

import pytest
from django.core.exceptions import ValidationError

from comments.models import Comment, TrustedCommenter
from comments.text import clean_display_name, imitates, skeleton
from tests.factories import CommentFactory

RESERVED = {"nervepain", "admin", "administrator", "moderator"}

LOOKALIKES = [
    "N\u0435rvepain",  # Cyrillic small ie for "e"
    "\u0430dm\u0456n",  # Cyrillic a and i: a whole-script look-alike
    "\u0391dmin",  # Greek capital alpha
    "\u1d00\u1d05\u1d0d\u026a\u0274",  # small capitals
    "\uff2e\uff45\uff52\uff56\uff45\uff50\uff41\uff49\uff4e",  # fullwidth
    "\U0001d41a\U0001d41d\U0001d426\U0001d422\U0001d427",  # mathematical bold: "admin"
    "adm\u0131\u0307n",  # dotless i with a combining dot above
    "\u00c1dmin",  # an accent
    "Admi\u0301n",  # a combining accent
    "m0derator",  # digit zero for "o"
    "Moder\u0430tor",  # Cyrillic a inside a long word
    "Nerve Pain",  # spaces
    "n.e.r.v.e.p.a.i.n",  # punctuation
    "Nerve_Pain",
    "Site Admin",  # the reserved name among other words
    "The Moderator",
    "NervepainOfficial",  # a long reserved name inside a word
]


def refused_with(name, codes) -> bool:
    try:
        clean_display_name(name, RESERVED)
    except ValidationError as refused:
        return refused.code in codes
    return False


def test_names_that_look_like_a_reserved_name_are_refused():
    """Every way of writing a reserved name that we know of: none gets through."""
    accepted = [name for name in LOOKALIKES if not refused_with(name, {"reserved", "mixed_script"})]
    assert accepted == []


def test_invisible_characters_inside_a_name_are_refused():
    hidden = [
        "admin\u200d",  # zero-width joiner
        "ad\u200bmin",  # zero-width space inside
        "\u2060moderator",  # word joiner
        "admin\ufe0f",  # variation selector
        "adm\u034fin",  # combining grapheme joiner
        "admin\u3164",  # Hangul filler
        "admin\u2800",  # braille blank
        "adm\U000e0069n",  # tag character
    ]
    assert [name for name in hidden if not refused_with(name, {"invisible"})] == []


@pytest.mark.parametrize(
    "name",
    ["N\u0435rvepain", "Ann R\u0435ader", "P\u0430ul", "\u0391nna"],  # Cyrillic e, a; Greek A
)
def test_a_word_mixing_look_alike_alphabets_is_refused(name):
    with pytest.raises(ValidationError) as refused:
        clean_display_name(name, RESERVED)
    assert refused.value.code == "mixed_script"


@pytest.mark.parametrize(
    "name",
    [
        "Badminton Fan",  # "admin" inside an ordinary word
        "Ann Reader",
        "Zo\u00eb",
        "Jos\u00e9 Mar\u00eda",
        "\u0418\u0432\u0430\u043d Smith",  # two alphabets, one per word
        "\u5c71\u7530\u592a\u90ce",  # Japanese kanji
        "\u3084\u307e\u3060 \u592a\u90ce",  # hiragana and kanji
        "\u674e\u96f7",
        "\u0391\u03bd\u03bd\u03b1",  # Greek
        "O'Brien",
        "Ann-Marie",
    ],
)
def test_ordinary_names_still_pass(name):
    """A guard: the checks above must not refuse real people's names."""
    assert clean_display_name(name, RESERVED) == name


def test_skeleton_maps_look_alikes_to_one_string():
    """The UTS #39 skeleton, from Unicode's own confusables data."""
    assert skeleton("N\u0435rvepain") == skeleton("Nervepain")
    assert skeleton("\uff41") == "a"
    assert skeleton("paypal") != skeleton("paypa1x")


def test_the_sites_own_configured_name_is_protected(settings):
    assert imitates("N\u0435rve P\u0430in", settings.COMMENTS_RESERVED_NAMES)


# -- through the real form -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["N\u0435rvepain", "\u0430dm\u0456n", "Moder\u0430tor"])
def test_look_alike_names_are_refused_by_the_form_with_the_text_kept(post, article, name):
    response = post(article, name=name, comment="Official advice: stop all medication.")
    assert response.status_code == 400
    assert not Comment.objects.exists()
    page = response.content.decode()
    assert "Official advice: stop all medication." in page
    assert "reserved for the site" in page or "different alphabets" in page


# -- trust holds for one name --------------------------------------------------------------


def approve(moderator_client, comment):
    response = moderator_client.post(
        "/admin/comments/comment/?state=all",
        {"action": "approve", "_selected_action": [comment.pk]},
    )
    assert response.status_code == 302


def latest():
    return Comment.objects.latest("submit_date", "pk")


@pytest.mark.django_db
def test_trusted_commenter_changing_name_is_held(client, post, article, moderator_client):
    """Trust earned as "Ann Reader" does not publish a comment signed with another name."""
    post(article)
    approve(moderator_client, latest())
    assert TrustedCommenter.objects.get().name == "Ann Reader"

    response = post(article, name="Dr Ray, Pain Clinic", comment="Official: this cream cures it.")
    assert response.status_code == 303
    held = latest()
    assert held.state == Comment.State.PENDING
    assert held.reason == Comment.Reason.NAME_CHANGED
    assert held.reason_detail == "trusted as Ann Reader"


@pytest.mark.django_db
def test_trusted_commenter_with_a_look_alike_of_their_own_name_is_held(
    client, post, article, moderator_client
):
    post(article)
    approve(moderator_client, latest())
    assert post(article, name="Ann  reader", comment="Same, a small r.").status_code == 303
    assert latest().state == Comment.State.PENDING


@pytest.mark.django_db
def test_trusted_commenter_keeping_their_name_is_still_published(
    client, post, article, moderator_client
):
    """A guard: trust still works for the name it was given."""
    post(article)
    approve(moderator_client, latest())
    post(article, comment="A second thought.")
    assert latest().state == Comment.State.PUBLISHED


@pytest.mark.django_db
def test_approving_the_new_name_moves_trust_to_it(client, post, article, moderator_client):
    post(article)
    approve(moderator_client, latest())
    post(article, name="Ann R.", comment="Shorter name now.")
    approve(moderator_client, latest())
    assert TrustedCommenter.objects.get().name == "Ann R."
    post(article, name="Ann R.", comment="And again.")
    assert latest().state == Comment.State.PUBLISHED


@pytest.mark.django_db
def test_existing_trust_takes_the_name_of_the_latest_approved_comment(article):
    """The migration names trust recorded before names were kept."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("comments.migrations.0007_trusted_commenter_name")
    CommentFactory(article=article, user_name="Old Name", user_email="Ann@example.org")
    newest = CommentFactory(article=article, user_name="Ann", user_email="ann@example.org")
    Comment.objects.update(commenter_key_hash="k" * 64)
    Comment.objects.filter(pk=newest.pk).update(submit_date=newest.submit_date.replace(year=2099))
    TrustedCommenter.objects.create(key_hash="k" * 64, email="ann@example.org")
    migration.name_existing_trust(apps, None)
    assert TrustedCommenter.objects.get().name == "Ann"
