"""The demo network: invented but realistic organizations, people, relations, employers,
appeals, meetings, joint statements and advice, and a public campaign. Each app holds its part (`<app>/demo.py`); this module loads them in order.

Everything is fixed (no randomness), so two demo servers hold the same network and the README,
tests and journeys can name its people. Every demo person signs in with DEMO_PASSWORD.

`load_demo()` creates it once. When the marker organization exists it only completes what a demo
loaded by an earlier version lacks (the appeals, added in a later version), and otherwise does nothing.
It completes only a demo left as it was, on a server with no organizations of its own: it creates no
one (not even a demo person deleted since), and it adds nothing rather than fail.
"""

from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from internationale.accounts import demo as accounts_demo
from internationale.accounts.demo import DEMO_PASSWORD, demo_email
from internationale.actions import demo as actions_demo
from internationale.actions import demo_reports as actions_demo_reports
from internationale.aid import demo as aid_demo
from internationale.appeals import demo as appeals_demo
from internationale.appeals.demo import APPEAL_TITLES
from internationale.campaigns import demo as campaigns_demo
from internationale.cooperation import demo as cooperation_demo
from internationale.library import demo as library_demo
from internationale.notifications import demo as notifications_demo
from internationale.organizations import demo as organizations_demo
from internationale.organizations.demo import is_loaded
from internationale.organizations.models import Organization
from internationale.statements import demo as statements_demo

__all__ = [
    "APPEAL_TITLES",
    "DEMO_PASSWORD",
    "DEMO_SIGN_INS",
    "demo_email",
    "is_loaded",
    "load_demo",
]


class _Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    name: str
    role: str  # admin, secretary, member, observer; or "operator"
    organization: str  # its name, "" for the operator
    note: str = ""


# The sign-ins worth knowing, for the README and for `internationale serve` to print.
DEMO_SIGN_INS: tuple[DemoSignIn, ...] = (
    DemoSignIn(
        demo_email("amara"),
        "Amara Okafor",
        "secretary",
        "Nigerian Dock and Port Workers' Union",
        "at Meridian Freight, Lagos",
    ),
    DemoSignIn(
        demo_email("jiwoo"),
        "Park Ji-woo",
        "secretary",
        "Korean Logistics Workers' Union",
        "at Meridian Freight, Busan",
    ),
    DemoSignIn(
        demo_email("priya"),
        "Priya Raman",
        "secretary",
        "Tamil Nadu Garment Workers' Federation",
        "at Corvina Apparel, Tiruppur",
    ),
    DemoSignIn(
        demo_email("ana"),
        "Ana Ribeiro",
        "admin",
        "Sindicato dos Trabalhadores em Logística de Santos",
    ),
    DemoSignIn(
        demo_email("lena"), "Lena Hoffmann", "member", "Gewerkschaft Transport und Logistik"
    ),
    DemoSignIn(
        demo_email("omar"),
        "Omar Benali",
        "observer",
        "Fédération marocaine des travailleurs de la logistique",
    ),
    DemoSignIn(
        demo_email("kila"),
        "Kila Kaupa",
        "admin",
        "PNG Mineworkers' Association",
        "not yet verified: one vouch so far",
    ),
    DemoSignIn(demo_email("oscar"), "Oscar Lindqvist", "operator", "", "server operator"),
)


def load_demo(stdout: _Writer | None = None) -> bool:
    """Create the demo network, or complete one loaded by an earlier version (one without appeals).

    Returns whether anything was added: loading again, once the demo is complete, changes nothing.
    """

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")
            if hasattr(stdout, "flush"):
                stdout.flush()

    with transaction.atomic():
        if not organizations_demo.is_loaded():
            people = accounts_demo.create_people(organizations_demo.people_wanted())
            orgs = organizations_demo.create_organizations(people)
            organizations_demo.create_relations(orgs, people)
            organizations_demo.create_employers(orgs, people)
            organizations_demo.create_vouches(orgs, people)
            notifications_demo.create_inbox(orgs)
            _create_appeals(orgs, people)
            cooperation_demo.create_meetings(orgs, people)
            statements_demo.create_statements(orgs, people)
            statements_demo.create_advice(orgs, people)
            library_demo.create_documents(orgs, people)
            campaigns_demo.create_campaigns(orgs, people)
            actions_demo.create_days(orgs, people)
            actions_demo_reports.create_past_day(orgs, people)
            say(
                f"Demo network loaded: {len(orgs)} organizations in "
                f"{len({o.country for o in organizations_demo.ORGANIZATIONS})} countries, {len(people)} people, "
                f"{len(organizations_demo.EMPLOYERS)} multinational employers."
            )
            return True
    added = _complete_appeals()
    if isinstance(added, str):
        say(added)
    elif added:
        say(f"The demo network is already loaded; added the demo appeals: {added}, in every state.")
    else:
        say("The demo network is already loaded, with its appeals: nothing to add.")
    return isinstance(added, int) and added > 0


def _create_appeals(orgs: dict[str, Any], people: dict[str, Any]) -> None:
    """Appeals in every state (appeals), the aid given to one of them (aid), then its outcome."""
    appeals_demo.create_appeals(orgs, people)
    aid_demo.create_aid(orgs, people)
    appeals_demo.conclude_appeals(orgs, people)


_CHANGED = (
    "The demo network is already loaded, but it has changed since ({}); "
    "the demo appeals were not added."
)
_NOT_ALONE = (
    "The demo network is already loaded, but this server has organizations of its own now; "
    "the demo appeals were not added, so that invented appeals reach no real inbox."
)


def _complete_appeals() -> int | str:
    """Add the demo appeals to a demo network loaded without them, by a version before appeals.

    Returns how many were added (0 if they are there already), or the line that says why none were:
    the demo has changed since (someone or something the appeals need is gone), or the server has
    organizations of its own, which the appeals (routed, then widened to a region) would reach.
    Never raises for these: `serve --demo` goes on serving.
    """
    with transaction.atomic():
        orgs = organizations_demo.demo_organizations()
        if orgs is None:
            return _CHANGED.format("some of its organizations are gone")
        # One loader at a time (on PostgreSQL; SQLite writes one at a time anyway): a second one
        # waits here, then finds the appeals the first added.
        Organization.objects.select_for_update().get(pk=orgs[organizations_demo.MARKER_SLUG].pk)
        if appeals_demo.demo_appeals(orgs).exists():
            return 0
        demo_ids = [o.pk for o in orgs.values()]
        if Organization.objects.filter(verified_at__isnull=False).exclude(pk__in=demo_ids).exists():
            return _NOT_ALONE
        people, changes = appeals_demo.appeal_actors(orgs)
        if changes:
            more = f", and {len(changes) - 3} more" if len(changes) > 3 else ""
            return _CHANGED.format("; ".join(changes[:3]) + more)
        # Whatever the check above missed (a presence removed, say) fails in a service: undone
        # entirely, and said as the rest is.
        try:
            with transaction.atomic():
                _create_appeals(orgs, people)
        except (
            PermissionDenied,
            ValidationError,
            LookupError,
            ObjectDoesNotExist,
            Http404,
            IntegrityError,
        ) as exc:
            why = "; ".join(exc.messages) if isinstance(exc, ValidationError) else repr(exc)
            return _CHANGED.format(f"creating the appeals failed: {why}")
        return appeals_demo.demo_appeals(orgs).count()


def demo_sign_ins_text(indent: str = "  ") -> str:
    """The main demo sign-ins as aligned lines, for the terminal."""
    width = max(len(s.email) for s in DEMO_SIGN_INS)
    lines = []
    for s in DEMO_SIGN_INS:
        where = s.organization + (f" ({s.note})" if s.note else "")
        if s.role == "operator":
            where = s.note
            role = "operator"
        else:
            role = s.role
        lines.append(f"{indent}{s.email:<{width}}  {role:<9}  {where}")
    return "\n".join(lines)
