from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "internationale.campaigns"
    label = "campaigns"

    def ready(self) -> None:
        # Registers the rules, the audit kinds and how notices about campaigns are worded.
        from internationale.appeals import public_page as appeal_page
        from internationale.appeals.extensions import (
            add_appeal_panel,
            add_pledge_campaigns,
            add_pledge_details,
        )
        from internationale.core.history import register_periodic_query

        from . import audit_kinds, notices, rules  # noqa: F401
        from .counting import signatures_to_count
        from .models import Campaign
        from .panels import appeal_campaigns, attach_pledge_campaigns, pledge_campaign_choices
        from .public_page import connect

        # The kept public pages change with every write to what they show (public_page.py).
        connect()
        # The appeal a campaign answers shows it (appeals/extensions.py), its kept page too.
        add_appeal_panel(appeal_campaigns)
        # A sympathy pledge on the appeal may point to one of them, and shows the link.
        add_pledge_campaigns(pledge_campaign_choices)
        add_pledge_details(attach_pledge_campaigns)
        appeal_page.follow(Campaign, lambda campaign: campaign.appeal_id)
        register_periodic_query("confirmed signatures to count", signatures_to_count)
        # Signatures received, screened by the worker; the lists kept per process by version.
        from .screening import rules as screening_rules
        from .signing import intake_left, intake_to_screen

        register_periodic_query("campaign signatures received to screen", intake_to_screen)
        register_periodic_query("campaign signatures left by a dead screening", intake_left)
        screening_rules.follow()

        # What organizations own of campaigns (core/owned.py).
        from . import owned  # noqa: F401

        # Delivery and news after signing (delivery.py, outcome.py): queries on a schedule.
        from .delivery import targets_to_deliver_query
        from .outcome import updates_to_send_query

        register_periodic_query("campaign targets to deliver to", targets_to_deliver_query)
        register_periodic_query("campaign updates to send", updates_to_send_query)

        # What signing leaves behind, pruned (pruning.py).
        from internationale.core.history import register_prunable

        from .pruning import invalidated_to_erase, unconfirmed_to_prune

        register_prunable(
            "campaign signatures never confirmed",
            rows=unconfirmed_to_prune,
            retention_setting="INTERNATIONALE_CAMPAIGN_PRUNE_UNCONFIRMED_DAYS",
        )
        register_periodic_query("invalidated campaign signatures to erase", invalidated_to_erase)
