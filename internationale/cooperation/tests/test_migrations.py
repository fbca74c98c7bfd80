"""Upgrading meetings to texts in several languages: each meeting planned before gets the language
its texts are written in, and reads in another language afterwards."""

import datetime

import pytest
from django.utils import timezone

from internationale.cooperation import languages
from internationale.cooperation.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("cooperation", "0007_calendar_feed_owner")
AFTER = ("cooperation", "0008_meeting_language")


def test_meetings_planned_before_are_written_in_their_hosts_first_language(migrate):
    old = migrate(BEFORE)
    Organization = old.get_model("organizations", "Organization")
    Language = old.get_model("organizations", "OrganizationLanguage")
    OldMeeting = old.get_model("cooperation", "Meeting")
    santos = Organization.objects.create(
        name="Dockworkers of Santos", slug="docks-santos", kind="union", country="BR"
    )
    Language.objects.create(organization_id=santos.pk, tag="pt-BR")
    Language.objects.create(organization_id=santos.pk, tag="en")
    quiet = Organization.objects.create(
        name="Riders of Lyon", slug="riders-lyon", kind="union", country="FR"
    )
    start = timezone.now() + datetime.timedelta(days=30)

    def plan(organization, title, working):  # type: ignore[no-untyped-def]
        return OldMeeting.objects.create(
            organization_id=organization.pk,
            kind="bilateral",
            title=title,
            start_at=start,
            end_at=start + datetime.timedelta(hours=2),
            time_zone="UTC",
            languages=working,
        )

    greve = plan(santos, "A greve no porto", ["en"])
    lyon = plan(quiet, "La grève des livreurs", ["fr", "en"])
    bare = plan(quiet, "Réunion", [])

    migrate(AFTER)

    languages_now = dict(Meeting.objects.values_list("pk", "language"))
    assert languages_now == {greve.pk: "pt-BR", lyon.pk: "fr", bare.pk: "en"}

    # With today's code, the upgraded meeting reads as any other.
    migrate()
    meeting = Meeting.objects.get(pk=greve.pk)
    AgendaItem.objects.create(meeting=meeting, position=1, title="Os guindastes")
    shown = languages.meeting_reading(meeting, "en", original=False)
    assert shown.is_original and shown.original_language == "pt-BR"
    # Its machine versions: in English, the host's other language and the working one.
    assert languages.versions_request(meeting) == ["en"]
