"""The API on the history of a relation between two organizations: what the page
/meetings/relations/{slug}/{other}/ shows, from the same selector (history.py), to the same
people (those of the first organization, whatever their role; 404 for anyone else). A route of
the meetings router (api.py)."""

import datetime

from django.db.models import prefetch_related_objects
from ninja import Field, Schema

from internationale.accounts.api import ApiRequest
from internationale.core.api import ERRORS
from internationale.core.exchanges import Exchange, ExchangeSource
from internationale.core.links import absolute_url

from . import history
from .api import MeetingOut, OrganizationRef, router
from .api_agreements import AgreementOut, ShareOut, TaskOut
from .models import Agreement, Task

LATEST = f"The latest {history.LIMIT} at most, the latest first."


class HistoryAgreementOut(AgreementOut):
    share: ShareOut = Field(description="How far its tasks are done.")
    tasks: list[TaskOut] = Field(description="All its tasks, of either party or any other.")

    @staticmethod
    def resolve_tasks(obj: Agreement) -> list[Task]:
        return list(obj.tasks.all())


class ExchangeOut(Schema):
    when: datetime.datetime
    title: str = Field(description="What it is about: an appeal's title.")
    what: str = Field(description="What happened, in the language of the answer.")
    url: str = Field(description="Its page on the platform, an absolute link.")

    @staticmethod
    def resolve_url(obj: Exchange) -> str:
        return absolute_url(obj.url)


class ExchangesOut(Schema):
    source: str = Field(
        description="What the exchanges are: `appeals`, appeals one issued and "
        "the other answered or pledged support to."
    )
    label: str = Field(description="Its name, in the language of the answer.")
    exchanges: list[ExchangeOut] = Field(description=LATEST)


class RelationHistoryOut(Schema):
    organization: OrganizationRef = Field(description="Yours, whose history this is.")
    other: OrganizationRef
    meetings: list[MeetingOut] = Field(
        description="The meetings both took part in (hosting, or invited and accepted), "
        "delegation visits aside, that you may see. " + LATEST
    )
    delegations: list[MeetingOut] = Field(
        description="The delegation visits one sent to the other, that you may see. " + LATEST
    )
    agreements: list[HistoryAgreementOut] = Field(
        description="The agreements with both as parties, that you may see, with their tasks. "
        "The latest adopted first, " + str(history.LIMIT) + " at most."
    )
    exchanges: list[ExchangesOut] = Field(
        description="What the other apps tell of the two, by source."
    )


def _exchanges(found: list[tuple[ExchangeSource, list[Exchange]]]) -> list[dict[str, object]]:
    return [
        {"source": source.name, "label": str(source.label), "exchanges": exchanges}
        for source, exchanges in found
    ]


@router.get(
    "/organizations/{slug}/relations/{other}/history",
    response={200: RelationHistoryOut, **ERRORS},
    url_name="relation_history",
)
def relation_history(request: ApiRequest, slug: str, other: str) -> dict[str, object]:
    """What one of your organizations (any role) did with another: the meetings both took part
    in, the delegation visits between them, the agreements with both as parties with their
    tasks, and the appeals one issued and the other answered. 404 for an organization not
    yours, an unknown other one, or the same one twice."""
    found = history.relation_history(viewer=request.auth, slug=slug, other=other)
    prefetch_related_objects(found.agreements, "parties", "tasks__notes")
    return {
        "organization": found.organization,
        "other": found.other,
        "meetings": found.meetings,
        "delegations": found.delegations,
        "agreements": found.agreements,
        "exchanges": _exchanges(found.exchanges),
    }
