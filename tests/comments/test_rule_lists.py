"""The moderation lists refuse an entry their rule would read as one already listed: the
same words in another case, with more spaces or other punctuation (each rule compares
them as it compares a comment's text)."""

import pytest

from comments.models import CrisisPhrase, MedicalClaimPattern, ModerationWord

pytestmark = pytest.mark.django_db


def add(client, model, data):
    return client.post(f"/admin/comments/{model._meta.model_name}/add/", data)


@pytest.mark.parametrize(
    "typed", ["Nobody  would miss me", "nobody would miss me", " NOBODY would, miss me! "]
)
def test_a_crisis_phrase_listed_already_is_refused_by_name(moderator_client, typed):
    CrisisPhrase.objects.create(phrase="nobody would miss me", language="en")
    response = add(moderator_client, CrisisPhrase, {"phrase": typed, "language": "en"})
    assert response.status_code == 200
    assert "This phrase is on the list already, as “nobody would miss me”." in (
        response.content.decode()
    )
    assert CrisisPhrase.objects.filter(phrase__icontains="miss me").count() == 1


def test_a_new_crisis_phrase_is_kept_with_single_spaces(moderator_client):
    response = add(
        moderator_client, CrisisPhrase, {"phrase": "can't  go   on like this", "language": "en"}
    )
    assert response.status_code == 302
    assert CrisisPhrase.objects.filter(phrase="can't go on like this").exists()


def test_the_same_crisis_phrase_may_be_listed_in_another_language(moderator_client):
    CrisisPhrase.objects.create(phrase="no future", language="en")
    response = add(moderator_client, CrisisPhrase, {"phrase": "No future", "language": "fr"})
    assert response.status_code == 302


def test_a_phrase_with_no_letter_or_digit_is_refused(moderator_client):
    response = add(moderator_client, CrisisPhrase, {"phrase": "!!!", "language": "en"})
    assert "A phrase needs at least one letter or digit." in response.content.decode()
    assert not CrisisPhrase.objects.filter(phrase="!!!").exists()


def test_editing_a_phrase_does_not_find_itself(moderator_client):
    phrase = CrisisPhrase.objects.create(phrase="want it all to stop", language="en")
    response = moderator_client.post(
        f"/admin/comments/crisisphrase/{phrase.pk}/change/",
        {"phrase": "Want it all to stop", "language": "en"},
    )
    assert response.status_code == 302
    phrase.refresh_from_db()
    assert phrase.phrase == "Want it all to stop"


def test_a_medical_claim_phrase_listed_already_is_refused(moderator_client):
    MedicalClaimPattern.objects.create(category="cure", kind="phrase", pattern="miracle oil")
    response = add(
        moderator_client,
        MedicalClaimPattern,
        {"category": "promotion", "kind": "phrase", "pattern": "Miracle  oil"},
    )
    assert "This phrase is on the list already, as “miracle oil”." in response.content.decode()
    assert MedicalClaimPattern.objects.filter(pattern__iexact="miracle oil").count() == 1


def test_a_regular_expression_is_kept_as_written(moderator_client):
    response = add(
        moderator_client,
        MedicalClaimPattern,
        {"category": "cure", "kind": "pattern", "pattern": r"cure[sd]  \w+"},
    )
    assert response.status_code == 302
    assert MedicalClaimPattern.objects.filter(pattern=r"cure[sd]  \w+").exists()


def test_a_moderation_word_listed_already_is_refused_with_its_action(moderator_client):
    ModerationWord.objects.create(word="casino", action="disallow")
    response = add(moderator_client, ModerationWord, {"word": "CASINO", "action": "hold"})
    assert "This is on the list already, as “casino” (Refuse outright)." in (
        response.content.decode()
    )
    assert ModerationWord.objects.filter(word__iexact="casino").count() == 1


def test_a_moderation_word_with_other_spaces_is_refused_and_kept_single_spaced(moderator_client):
    """ "Casino  Bonus" (two spaces) was saved beside "casino bonus", and matched nothing."""
    ModerationWord.objects.create(word="casino bonus", action="hold")
    response = add(
        moderator_client, ModerationWord, {"word": "Casino  Bonus", "action": "disallow"}
    )
    assert "This is on the list already, as “casino bonus” (Hold for a moderator)." in (
        response.content.decode()
    )
    response = add(moderator_client, ModerationWord, {"word": "free  spins", "action": "hold"})
    assert response.status_code == 302
    assert ModerationWord.objects.filter(word="free spins").exists()


def test_a_word_typed_with_two_spaces_matches_text_with_one_and_the_other_way(post, article):
    from comments.models import Comment

    ModerationWord.objects.bulk_create(  # saved around the admin's check, as SQL would
        [ModerationWord(word="casino  bonus", action="disallow")]
    )
    refused = post(article, comment="Great casino bonus at my site.")
    assert refused.status_code == 400
    ModerationWord.objects.all().delete()
    ModerationWord.objects.create(word="free spins", action="hold")
    post(article, comment="Free   spins  here, friends.")
    assert Comment.objects.latest("pk").reason == Comment.Reason.HOLD_WORD
