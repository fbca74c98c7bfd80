"""The aggregated report of a day of action: its countries, its actions by kind, the participants
(the sum of the figures the organizations reported, said to be reported, never estimated), its
timeline as the day moved around the world, and the numbers its world map is drawn from
(worldmap.py). Withdrawn actions are left out. Also as CSV (one row per action) and as the
Markdown of the report-back document published to the library once the callers approve it.

Nothing personal is in it: contacts are never read here.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries as iso_countries

from internationale.cooperation.accountability import safe_cell
from internationale.core.links import absolute_url

from .models import DayOfAction, Kind, LocalAction, Report, ReportPhoto
from .worldmap import legend, world_map


@dataclass
class CountryRow:
    code: str
    name: str
    actions: int = 0
    reported: int = 0
    participants: int = 0


@dataclass
class KindRow:
    kind: str
    label: str
    actions: int


@dataclass
class Aggregate:
    day: DayOfAction
    # In the order the day reached them: by their start in UTC.
    actions: list[LocalAction]
    countries: list[CountryRow] = field(default_factory=list)
    kinds: list[KindRow] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    # {action id: its report}
    reports_of: dict[int, Report] = field(default_factory=dict)

    @property
    def reports(self) -> list[Report]:
        return [self.reports_of[a.pk] for a in self.actions if a.pk in self.reports_of]

    @property
    def participants(self) -> int:
        """The sum of the participants the organizations reported."""
        return sum(r.participants or 0 for r in self.reports)

    @property
    def reported_figures(self) -> int:
        """How many reports give a figure of participants."""
        return sum(1 for r in self.reports if r.participants is not None)

    def summary(self) -> str:
        return " ".join(
            [
                ngettext(
                    "%(n)d action in %(c)d country.",
                    "%(n)d actions in %(c)d countries.",
                    len(self.actions),
                )
                % {"n": len(self.actions), "c": len(self.countries)},
                ngettext(
                    "%(p)d participant as reported by the organizations (%(r)d report).",
                    "%(p)d participants as reported by the organizations (%(r)d reports).",
                    self.participants,
                )
                % {"p": self.participants, "r": len(self.reports)},
            ]
        )

    def map_svg(self) -> str:
        counts = {
            row.code: (
                ngettext("%(name)s: %(n)d action", "%(name)s: %(n)d actions", row.actions)
                % {"name": row.name, "n": row.actions},
                row.actions,
            )
            for row in self.countries
        }
        return world_map(counts, label=_("World map of the countries with actions"))

    def map_legend(self) -> list[tuple[str, str]]:
        return legend(max((row.actions for row in self.countries), default=0))


def day_aggregate(*, day: DayOfAction) -> Aggregate:
    """The aggregated report of `day` (the caller checked that the reader reads the day)."""
    rows = list(
        LocalAction.objects.filter(day=day, cancelled_at__isnull=True)
        .select_related("organization")
        .order_by("start_at", "pk")
        .defer("contact")
    )
    reports = {
        r.action_id: r
        for r in Report.objects.filter(action__in=rows).prefetch_related(
            Prefetch("photos", queryset=ReportPhoto.objects.order_by("pk"))
        )
    }
    countries: dict[str, CountryRow] = {}
    for action in rows:
        # What the templates read of each action.
        setattr(action, "report_found", reports.get(action.pk))  # noqa: B010
        row = countries.get(action.country)
        if row is None:
            name = str(iso_countries.name(action.country) or action.country)
            row = countries[action.country] = CountryRow(action.country, name)
        row.actions += 1
        report = reports.get(action.pk)
        if report is not None:
            row.reported += 1
            row.participants += report.participants or 0
    kinds = Counter(a.kind for a in rows)
    return Aggregate(
        day=day,
        actions=rows,
        countries=sorted(countries.values(), key=lambda c: (-c.actions, c.name)),
        kinds=[KindRow(k, str(Kind(k).label), n) for k, n in kinds.most_common()],
        outcomes=dict(Counter(r.outcome for r in reports.values())),
        reports_of=reports,
    )


def aggregate_csv(found: Aggregate) -> str:
    """One row per action, in the order of the day: what a spreadsheet needs to count them."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("start (UTC)"),
            _("local start"),
            _("time zone"),
            _("country code"),
            _("country"),
            _("city or place"),
            _("organization"),
            _("kind"),
            _("outcome"),
            _("participants (reported)"),
            _("press coverage"),
            _("report"),
        ]
    )
    for action in found.actions:
        report = found.reports_of.get(action.pk)
        writer.writerow(
            [
                safe_cell(str(value))
                for value in (
                    action.start_at.strftime("%Y-%m-%dT%H:%MZ"),
                    f"{action.local_start_date.isoformat()}T{action.local_start_time:%H:%M}",
                    action.time_zone,
                    action.country,
                    iso_countries.name(action.country) or action.country,
                    action.city,
                    action.organization.name,
                    Kind(action.kind).label,
                    report.get_outcome_display() if report else "",
                    "" if report is None or report.participants is None else report.participants,
                    " ".join(report.press_links) if report else "",
                    absolute_url(report_url(action)) if report else "",
                )
            ]
        )
    return out.getvalue()


def report_url(action: LocalAction) -> str:
    return reverse("report_detail", args=[action.day_id, action.pk])


def aggregate_markdown(found: Aggregate) -> str:
    """The report as the library's document shows it (Markdown)."""
    lines = [found.summary(), "", f"## {_('Countries')}", ""]
    lines += [
        f"- {row.name}: "
        + ngettext("%(n)d action", "%(n)d actions", row.actions) % {"n": row.actions}
        for row in found.countries
    ]
    lines += ["", f"## {_('Actions by kind')}", ""]
    lines += [f"- {row.label}: {row.actions}" for row in found.kinds]
    lines += ["", f"## {_('Timeline')}", ""]
    for action in found.actions:
        report = found.reports_of.get(action.pk)
        line = (
            f"- {action.start_at:%Y-%m-%d %H:%M} UTC · {action.city} "
            f"({iso_countries.name(action.country) or action.country}) · "
            f"{action.organization.name} · {Kind(action.kind).label}"
        )
        if report is not None:
            line += f" · {report.get_outcome_display()}"
            if report.participants is not None:
                line += " · " + _("%(n)d participants (reported)") % {"n": report.participants}
            line += f" · [{_('Report')}]({absolute_url(report_url(action))})"
        lines.append(line)
    lines += [
        "",
        _("Participants are the figures the organizations reported; they are not checked."),
    ]
    return "\n".join(lines)
