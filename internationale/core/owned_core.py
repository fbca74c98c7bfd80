"""Core's models, none of which an organization owns (core/owned.py)."""

from django.utils.translation import gettext_noop

from .owned import declare_not_owned

declare_not_owned("core.AuditEntry", gettext_noop("the server's record of what was done"))
declare_not_owned("core.SubmissionKey", gettext_noop("a form's key against double submission"))
declare_not_owned("core.WorkerHeartbeat", gettext_noop("the server's background worker"))
declare_not_owned("core.Notice", gettext_noop("the outbox of notices, dispatched and pruned"))
declare_not_owned("core.SharedVersion", gettext_noop("versions of the server's kept pages"))
