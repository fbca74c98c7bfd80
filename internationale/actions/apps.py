from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "internationale.actions"
    label = "actions"

    def ready(self) -> None:
        # Registers the audit kinds and how notices about days of action are worded.
        from internationale.appeals import public_page as appeal_pages
        from internationale.campaigns import public_page as campaign_pages
        from internationale.statements import public_page as statement_pages

        from . import audit_kinds, notices  # noqa: F401
        from .models import DayOfAction

        # The kept pages of an appeal, a statement or a campaign list the public days called from them
        # (templatetags/days.py): a day's change is a change of the page it links to.
        appeal_pages.pages.follow(DayOfAction, lambda day: day.appeal_id)
        statement_pages.pages.follow(DayOfAction, lambda day: day.statement_id)
        campaign_pages.pages.follow(DayOfAction, lambda day: day.campaign_id)

        # What organizations own (core/owned.py); reports back and the aggregated report: their
        # rules, notice and audit kinds, API (on the router of days of action) and kept pages.
        from . import api_reports, kinds_reports, owned, rules_reports  # noqa: F401
        from .public_reports import connect

        connect()
