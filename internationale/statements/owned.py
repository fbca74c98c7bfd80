"""What an organization owns of statements (core/owned.py): the statements it initiated with
their participants, versions, amendments, comments, positions and signatures; what it said in
others' (its amendments, comments, position and signature); the advice it gave and received."""

from django.db.models import Q

from internationale.core.owned import Agreed, Owned, declare_owned

INITIATOR = "statement__organization"
PUBLIC_STATEMENT = Q(statement__visibility="public")

declare_owned(
    Owned(
        model="statements.Statement",
        key="statements.statement",
        owners=("organization",),
        confidential=True,
        keep_if=Q(visibility="public"),
        # Only a verified organization initiates a statement.
        verified_only=Q(),
    )
)
declare_owned(
    Owned(
        model="statements.Participant",
        key="statements.participant",
        owners=(INITIATOR, "organization"),
        confidential=True,
        keep_if=PUBLIC_STATEMENT,
        # Another organization's support of the draft is asked again.
        agreed=Agreed(status="supported_at", asked={"supported_at": None, "supported_by": None}),
    )
)
declare_owned(
    Owned(
        model="statements.Version",
        key="statements.version",
        owners=(INITIATOR,),
        confidential=True,
        keep_if=PUBLIC_STATEMENT,
    )
)
# Another organization's agreement with a version, and its signature, are left out: it states
# its position and signs again on the new server. Its amendments and comments stay as written.
AGREED = {
    "statements.position": Agreed(status="stance", values=("agree", "reservations")),
    "statements.signature": Agreed(status="status", values=("signed",)),
}
for model, key in (
    ("statements.Amendment", "statements.amendment"),
    ("statements.Comment", "statements.comment"),
    ("statements.Position", "statements.position"),
    ("statements.Signature", "statements.signature"),
):
    declare_owned(
        Owned(
            model=model,
            key=key,
            owners=(INITIATOR, "organization"),
            confidential=True,
            keep_if=PUBLIC_STATEMENT,
            agreed=AGREED.get(key),
        )
    )
declare_owned(
    Owned(
        model="statements.Advice",
        key="statements.advice",
        owners=("sender", "receiver"),
        confidential=True,
        # What either side was advised or advised is theirs to erase: it goes with either's erase.
        erased_by_either=True,
        # The receiver's acceptance of advice the organization sent: under consideration again.
        agreed=Agreed(
            by="receiver",
            status="answer",
            values=("accepted", "partly"),
            asked={"answer": "considering", "answered_at": None, "answered_by": None},
        ),
    )
)
