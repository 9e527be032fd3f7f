"""Topics and tags: one name in any capitals, and a description said to be plain text."""

import pytest
from bs4 import BeautifulSoup

from articles.models import Tag, Topic
from tests.factories import TagFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "factory", "extra"),
    [(Tag, TagFactory, {}), (Topic, TopicFactory, {"position": "0"})],
)
def test_a_name_another_has_in_other_capitals_is_refused_naming_it(
    staff_client, model, factory, extra
):
    factory(name="Diabetes", slug="diabetes")
    url = f"/admin/articles/{model._meta.model_name}/add/"
    data = {"name": "diabetes ", "slug": "diabetes-2", "description": "", **extra}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [
        "“Diabetes” exists already: use it, or rename it."
    ]
    assert model.objects.count() == 1
    data["name"] = "Diabetes  type 2"
    assert staff_client.post(url, data).status_code == 302
    assert model.objects.filter(name="Diabetes type 2").exists()


def test_renaming_keeps_its_own_name_in_other_capitals(staff_client):
    tag = TagFactory(name="gabapentin", slug="gabapentin")
    url = f"/admin/articles/tag/{tag.pk}/change/"
    data = {"name": "Gabapentin", "slug": "gabapentin", "description": ""}
    assert staff_client.post(url, data).status_code == 302
    tag.refresh_from_db()
    assert tag.name == "Gabapentin"


def test_a_topics_description_is_said_to_be_plain_text(staff_client):
    page = BeautifulSoup(staff_client.get("/admin/articles/topic/add/").content, "html.parser")
    assert "Plain text, no Markdown" in page.select_one("#id_description_helptext").get_text()


@pytest.mark.parametrize("model, extra", [(Topic, {"position": 0}), (Tag, {})])
def test_a_name_another_one_has_is_said_once_not_again_for_its_address(staff_client, model, extra):
    """The address is made from the name: "Tag with this Slug already exists." came beside
    the name's message, and alone once the name was corrected with the address still the old
    one. The name's message is said alone; a clash of the address alone is still refused."""
    factory = TopicFactory if model is Topic else TagFactory
    factory(name="Sleep", slug="sleep")
    url = f"/admin/articles/{model._meta.model_name}/add/"
    data = {"name": "sleep", "slug": "sleep", "description": "", **extra}
    errors = staff_client.post(url, data).context["adminform"].form.errors
    assert list(errors) == ["name"]
    data["name"] = "Cold feet"
    errors = staff_client.post(url, data).context["adminform"].form.errors
    assert list(errors) == ["slug"]
