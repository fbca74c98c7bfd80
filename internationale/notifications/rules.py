"""Permissions on notifications, declared once. An organization's inbox is read by its members
(organizations.view_inbox); a person's own inbox by that person alone."""

import rules


@rules.predicate
def addressed_to_them(actor, entry) -> bool:  # type: ignore[no-untyped-def]
    return entry is not None and entry.person_id == actor.pk


# One's own inbox (the notices addressed to one as a volunteer translator, as the one who asked).
rules.add_perm("notifications.view_own_inbox", rules.is_authenticated)
# An entry of it: marked read or unread by the person it is addressed to, and no one else.
rules.add_perm("notifications.read_personal_entry", rules.is_authenticated & addressed_to_them)
