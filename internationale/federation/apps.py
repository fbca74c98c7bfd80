from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "internationale.federation"
    label = "federation"

    def ready(self) -> None:
        from internationale.core.notices import register_channel

        from . import (  # noqa: F401
            audit_kinds,
            meetings,  # meetings and minutes travel, declared (publishing.Travelling)
            notices,  # kinds of notice (core/notices.py)
            owned,  # what organizations own (core/owned.py)
            received_meetings,  # answers to meetings of remote hosts sent (answers_channel)
            received_statements,  # answers to statements of other servers sent (answers_channel)
            statements,  # statements travel, declared (publishing.Travelling)
        )
        from .publishing import channel

        # Public appeals published to their organizations' followers (publishing.py): sent, by
        # the channel of notices; updated, resolved, closed and deleted, as their rows are.
        register_channel("activitypub", channel)
        register_channel("activitypub-statement-answers", received_statements.answers_channel)
        register_channel("activitypub-meeting-answers", received_meetings.answers_channel)
        register_channel("activitypub-minutes-corrections", meetings.corrections_channel)
        from django.db.models.signals import post_delete, post_save, pre_delete

        from internationale.appeals.models import Appeal, AppealUpdate

        from .publishing import appeal_deleted, appeal_deleting, timeline_saved

        post_save.connect(timeline_saved, sender=AppealUpdate, dispatch_uid="federation_timeline")
        # Its remote addressees read before the deletion takes them with it, told after it.
        pre_delete.connect(appeal_deleting, sender=Appeal, dispatch_uid="federation_appeal_going")
        post_delete.connect(appeal_deleted, sender=Appeal, dispatch_uid="federation_appeal_gone")

        # An emergency erase tells the remote organizations an erased appeal went to, and
        # purges the activities that carry what it erases (erasing.py).
        from internationale.ownership.signals import erasing

        from .erasing import content_erasing

        erasing.connect(content_erasing, dispatch_uid="federation_erasing")
        # A meeting deleted with an organization it names: its remote participants read before
        # its invitations go, sent its cancellation after it (erasing.py).
        from internationale.cooperation.models import Meeting

        from .erasing import meeting_deleted, meeting_deleting

        pre_delete.connect(
            meeting_deleting, sender=Meeting, dispatch_uid="federation_meeting_going"
        )
        post_delete.connect(meeting_deleted, sender=Meeting, dispatch_uid="federation_meeting_gone")

        # Answers of this server's organizations to appeals received from remote ones, sent back
        # to the issuer's inbox (answering.py), recorded as the rows are.
        from internationale.aid.models import Contribution
        from internationale.aid.signals import contribution_confirmed as confirmed
        from internationale.appeals.models import Pledge, Response

        from .answering import (
            contribution_confirmed,
            contribution_saved,
            pledge_saved,
            response_saved,
        )

        post_save.connect(response_saved, sender=Response, dispatch_uid="federation_answer")
        # Approvals of the minutes of meetings received from remote hosts (received_meetings.py).
        from internationale.cooperation.models import MinutesApproval

        post_save.connect(
            received_meetings.approval_saved,
            sender=MinutesApproval,
            dispatch_uid="federation_minutes_approved",
        )
        post_save.connect(pledge_saved, sender=Pledge, dispatch_uid="federation_pledge")
        post_save.connect(
            contribution_saved, sender=Contribution, dispatch_uid="federation_contribution"
        )
        confirmed.connect(
            contribution_confirmed, sender=Contribution, dispatch_uid="federation_aid_confirmed"
        )

        # The steps of travelling contents that are rows saved (publishing.Travelling.saved): a
        # statement's versions in other languages made after its adoption (statements.py),
        # minutes changed after their submission (meetings.py); sent in the save's transaction.
        from .publishing import saved, saved_models

        for model in saved_models():
            post_save.connect(
                saved, sender=model, dispatch_uid=f"federation_saved_{model.__name__}"
            )

        # Advice given to a remote organization, sent to its inbox alone (advice.py).
        from internationale.statements.models import Advice

        from .advice import advice_saved

        post_save.connect(advice_saved, sender=Advice, dispatch_uid="federation_advice")

        # Meetings and advice of remote organizations received here: the answers of this
        # server's organizations sent back (received_meetings.py by its channel of notices).
        from .received_advice import advice_answered

        post_save.connect(advice_answered, sender=Advice, dispatch_uid="federation_advice_answer")

        # Vouches of this server's organizations for remote ones, sent to their server
        # (vouching.py), recorded as the rows are.
        from internationale.organizations.models import Vouch

        from .vouching import vouch_saved

        post_save.connect(vouch_saved, sender=Vouch, dispatch_uid="federation_vouch")

        # Received activities and finished deliveries, pruned daily (pruning.py).
        from internationale.core.history import register_periodic_query, register_prunable

        from .keys import instance_keys_retired_to_prune, retired_to_prune
        from .pruning import (
            deliveries_to_prune,
            early_to_drop,
            erased_addresses_to_prune,
            outgoing_to_prune,
            received_to_prune,
        )

        register_prunable(
            "federation activities received",
            rows=received_to_prune,
            retention_setting="INTERNATIONALE_FEDERATION_PRUNE_RECEIVED_DAYS",
        )
        register_prunable(
            "federation updates that came before their create",
            rows=early_to_drop,
            retention_setting="INTERNATIONALE_FEDERATION_EARLY_UPDATE_DAYS",
        )
        register_prunable(
            "federation deliveries finished",
            rows=deliveries_to_prune,
            retention_setting="INTERNATIONALE_FEDERATION_PRUNE_DELIVERIES_DAYS",
        )
        register_prunable(
            "federation activities sent to one inbox",
            rows=outgoing_to_prune,
            retention_setting="INTERNATIONALE_FEDERATION_PRUNE_OUTGOING_DAYS",
        )
        # The key served at an erased profile's address, once what was signed there is delivered
        # (its own expiry); the address stays gone.
        register_prunable(
            "federation keys at erased addresses",
            rows=erased_addresses_to_prune,
            retention_setting=None,
        )
        from .remote import keys_to_refresh

        register_periodic_query("federation: remote keys to refresh", keys_to_refresh)
        register_prunable(
            "federation retired keys",
            rows=retired_to_prune,
            retention_setting="INTERNATIONALE_FEDERATION_PRUNE_RETIRED_KEYS_DAYS",
        )
        register_prunable(
            "federation retired keys of the server",
            rows=instance_keys_retired_to_prune,
            retention_setting="INTERNATIONALE_FEDERATION_PRUNE_RETIRED_KEYS_DAYS",
        )
