"""What an organization owns of statements (core/owned.py): the statements it initiated with
their participants, versions, amendments, comments, positions and signatures; what it said in
others' (its amendments, comments, position and signature); the advice it gave and received."""

from django.db.models import Q

from internationale.core.owned import Owned, declare_owned

INITIATOR = "statement__organization"
PUBLIC_STATEMENT = Q(statement__visibility="public")

declare_owned(
    Owned(
        model="statements.Statement",
        key="statements.statement",
        owners=("organization",),
        confidential=True,
        keep_if=Q(visibility="public"),
    )
)
declare_owned(
    Owned(
        model="statements.Participant",
        key="statements.participant",
        owners=(INITIATOR, "organization"),
        confidential=True,
        keep_if=PUBLIC_STATEMENT,
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
        )
    )
declare_owned(
    Owned(
        model="statements.Advice",
        key="statements.advice",
        owners=("sender", "receiver"),
        confidential=True,
    )
)
