"""The admin shows the body's reading grade against a target of grade 8: a hint, not a block."""

import pytest
from bs4 import BeautifulSoup

from articles.readability import READING_GRADE_TARGET, reading_grade
from tests.articles.test_review import admin_form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PLAIN = "Rest for a day. Drink water. Walk a bit. Ask your nurse if it hurts."
DENSE = (
    "Neuropathic symptomatology frequently demonstrates considerable exacerbation "
    "subsequent to therapeutic interventions incorporating progressive mechanical "
    "loading of sensitised peripheral neural structures, necessitating individualised "
    "modification of rehabilitation parameters."
)


def grade_shown(admin_client, article):
    page = BeautifulSoup(
        admin_client.get(f"/admin/articles/article/{article.pk}/change/").content, "html.parser"
    )
    return " ".join(page.select_one(".field-reading_grade .readonly").get_text().split())


def test_plain_text_is_graded_within_the_target():
    assert reading_grade(PLAIN) <= READING_GRADE_TARGET
    assert reading_grade(DENSE) > READING_GRADE_TARGET
    assert reading_grade("  ") is None


def test_admin_shows_the_grade_next_to_the_target(admin_client):
    shown = grade_shown(admin_client, ArticleFactory(body=PLAIN))
    assert shown.startswith(f"Grade {reading_grade(PLAIN):.1f} (Flesch-Kincaid)")
    assert "target: grade 8 or below, within the target" in shown


def test_admin_hints_when_the_body_is_above_the_target(admin_client):
    shown = grade_shown(admin_client, ArticleFactory(body=DENSE))
    assert "above the target" in shown
    assert "A hint, not a rule." in shown


def test_a_hard_to_read_body_can_still_be_saved(admin_client):
    article = ArticleFactory(body=PLAIN)
    response = admin_client.post(
        f"/admin/articles/article/{article.pk}/change/", admin_form_data(article, body=DENSE)
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == DENSE
