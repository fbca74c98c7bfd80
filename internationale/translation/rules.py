"""Permissions on translation, declared once. Checked inside services; asked by pages and the API
only to choose what to show. Each part of the app adds its rules in its own section below.

Reading a language version is reading its original: versions have no rule of their own."""

import rules  # noqa: F401

from internationale.core import predicates  # noqa: F401

# Machine translation (operators) ------------------------------------------------------------------

# Which translation models are installed and how much they translated; installing and removing
# them (on the command line, which acts as the server itself).
rules.add_perm("translation.view_models", predicates.is_server_operator)
rules.add_perm("translation.manage_models", predicates.is_server_operator)

# People who translate -----------------------------------------------------------------------------
#
# Whoever signed in may read content may ask for it in another language. Anyone signed in may
# volunteer for language pairs. A request is seen by whoever may read its
# content (the content's audience, nothing wider); those who may not read it are told it does not
# exist. Of those who see it: a volunteer of its pair takes it, the one who took it submits or
# releases it, the one who asked withdraws it. Volunteering must still hold when the work is
# submitted: a pair removed meanwhile refuses the submission.


@rules.predicate
def reads_the_content(actor, obj) -> bool:  # type: ignore[no-untyped-def]
    from internationale.core.visibility import is_visible

    return obj is not None and is_visible(obj, actor)


@rules.predicate
def reads_the_request_content(actor, request) -> bool:  # type: ignore[no-untyped-def]
    from internationale.core.visibility import is_visible

    original = request.original if request is not None else None
    return original is not None and is_visible(original, actor)


@rules.predicate
def volunteers_for_the_pair(actor, request) -> bool:  # type: ignore[no-untyped-def]
    from .people import volunteers_of

    return (
        request is not None
        and volunteers_of(request.source_language, request.target_language)
        .filter(person_id=actor.pk)
        .exists()
    )


@rules.predicate
def took_the_request(actor, request) -> bool:  # type: ignore[no-untyped-def]
    return (
        request is not None and request.taken_by_id is not None and request.taken_by_id == actor.pk
    )


@rules.predicate
def asked_for_the_request(actor, request) -> bool:  # type: ignore[no-untyped-def]
    return (
        request is not None
        and request.requested_by_id is not None
        and request.requested_by_id == actor.pk
    )


# Asking for content in one's language (the object: the content): whoever signed in may read it.
# How often one person may ask is limited too (settings: TRANSLATION_ASKS_PER_HOUR).
rules.add_perm("translation.ask", rules.is_authenticated & reads_the_content)
rules.add_perm("translation.volunteer", rules.is_authenticated)
rules.add_perm("translation.view_request", rules.is_authenticated & reads_the_request_content)
rules.add_perm(
    "translation.take_request",
    rules.is_authenticated & reads_the_request_content & volunteers_for_the_pair,
)
rules.add_perm(
    "translation.submit_request",
    rules.is_authenticated & reads_the_request_content & took_the_request & volunteers_for_the_pair,
)
rules.add_perm(
    "translation.release_request",
    rules.is_authenticated & reads_the_request_content & took_the_request,
)
rules.add_perm(
    "translation.withdraw_request",
    rules.is_authenticated & reads_the_request_content & asked_for_the_request,
)
