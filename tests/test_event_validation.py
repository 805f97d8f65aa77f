"""Event dates: an end before the start is refused, with a French message on the end field."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from events.models import EventPage

from .editorial import new_organisation, paris

pytestmark = pytest.mark.django_db


def test_end_before_start_is_refused_on_the_end_field():
    event = EventPage(
        title="À l'envers",
        slug="a-l-envers",
        lead="x",
        start=paris(2026, 5, 2, 10),
        end=paris(2026, 5, 2, 9),
    )
    with translation.override("fr"):
        with pytest.raises(ValidationError) as error:
            event.clean()
        assert error.value.message_dict["end"] == ["La fin doit être après le début."]
    with translation.override("en"):
        assert error.value.message_dict["end"] == ["The end must be after the start."]


def test_end_equal_to_start_is_accepted():
    EventPage(
        title="Instant",
        slug="instant",
        lead="x",
        start=paris(2026, 5, 2, 10),
        end=paris(2026, 5, 2, 10),
    ).clean()


def test_registration_form_and_link_are_exclusive():
    event = EventPage(
        title="Double",
        slug="double",
        lead="x",
        start=paris(2026, 5, 2, 10),
        end=paris(2026, 5, 2, 12),
        registration_open=True,
        registration_url="https://example.org/",
    )
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert "registration_url" in error.value.message_dict


def test_the_admin_shows_the_error_next_to_the_end_field(client, django_user_model):
    organisation = new_organisation()
    client.force_login(django_user_model.objects.get(username="admin"))
    url = f"/admin/pages/add/events/eventpage/{organisation.events_page.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "title": "À l'envers",
        "slug": "a-l-envers",
        "lead": "Un événement mal daté.",
        "start": "2026-05-02 10:00",
        "end": "2026-05-02 09:00",
        "body-count": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "La fin doit être après le début." in html
    assert not EventPage.objects.filter(slug="a-l-envers").exists()
