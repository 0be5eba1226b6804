"""The Person admin shows the name parts open data fills in (issue #14), in the clerk's language."""

import pytest

from tracker.models import Person

pytestmark = pytest.mark.django_db


def test_the_person_admin_shows_the_name_parts_in_the_clerk_s_language(admin_client):
    person = Person.objects.create(full_name="H.M. de Jonge", surname="De Jonge", slug="jonge", first_name="Hugo")
    url = f"/admin/tracker/person/{person.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "Naamdelen" in page and "Voornaam" in page and 'value="Hugo"' in page
    admin_client.cookies["django_language"] = "en"
    page = admin_client.get(url).content.decode()
    assert "Name parts" in page and "First name" in page and "achtervoegsel" in page
