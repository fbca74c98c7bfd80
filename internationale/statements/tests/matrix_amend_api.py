"""Permission-matrix cases for the API on amendments and versions (see matrix_amend.py for the
pages): 401 for the anonymous caller, 404 for what one may not see, 403 for what one sees but may
not do."""

from internationale.core.tests.matrix import OWNER_SPEAKERS, PERSONAS, Case

from .matrix import INVITED_SPEAKERS, PARTICIPANTS
from .matrix_amend import amendment, to_rebase
from .matrix_world import statement


def api(template: str, ref=statement):  # type: ignore[no-untyped-def]
    return lambda w: "/api/v1" + template.format(ref(w))


def on_statement(ok: int, allowed: list[str]) -> dict[str, int]:
    result = {p: 404 for p in PERSONAS}
    result.update({p: 403 for p in PARTICIPANTS})
    result["anonymous"] = 401
    result.update({p: ok for p in allowed})
    return result


READ = on_statement(200, PARTICIPANTS)

CASES = [
    Case("api:statement_version_list", "GET", api("/statements/{}/versions"), READ),
    Case("api:statement_version_detail", "GET", api("/statements/{}/versions/1"), READ),
    Case("api:statement_version_compare", "GET", api("/statements/{}/compare?from=1&to=1"), READ),
    Case(
        "api:statement_revise",
        "POST",
        api("/statements/{}/revise"),
        on_statement(201, OWNER_SPEAKERS),
        data=lambda w: {"paragraphs": ["One.", "Two."], "note": "Shorter."},
        json=True,
    ),
    Case("api:amendment_list", "GET", api("/statements/{}/amendments"), READ),
    Case(
        "api:amendment_propose",
        "POST",
        api("/statements/{}/amendments"),
        on_statement(201, INVITED_SPEAKERS),
        data=lambda w: {
            "organization": w.other_org.slug,
            "version": 1,
            "paragraph": 1,
            "kind": "delete",
            "reason": "Said elsewhere.",
        },
        json=True,
    ),
    Case("api:amendment_detail", "GET", api("/amendments/{}", amendment), READ),
    Case(
        "api:amendment_decide",
        "POST",
        api("/amendments/{}/decision", amendment),
        on_statement(200, OWNER_SPEAKERS),
        data=lambda w: {"decision": "reject", "reason": "Not now."},
        json=True,
    ),
    Case(
        "api:amendment_rebase",
        "POST",
        api("/amendments/{}/rebase", to_rebase),
        on_statement(200, INVITED_SPEAKERS),
        data=lambda w: {"paragraph": 3, "kind": "replace", "text": "Send them.", "reason": "Now."},
        json=True,
    ),
    Case(
        "api:amendment_withdraw",
        "POST",
        api("/amendments/{}/withdraw", amendment),
        on_statement(200, INVITED_SPEAKERS),
    ),
]
