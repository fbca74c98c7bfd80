"""What an organization owns of accounts (core/owned.py): the people who are its members, without
their e-mail address unless the export includes addresses."""

from django.utils.translation import gettext_noop

from internationale.core.owned import Owned, Personal, declare_not_owned, declare_owned

declare_owned(
    Owned(
        model="accounts.User",
        key="accounts.person",
        owners=("memberships__organization",),
        fields=("name", "email", "language", "time_zone", "date_joined"),
        personal={"email": Personal.EMAIL},
    )
)
declare_not_owned("accounts.ApiToken", gettext_noop("a secret of this server, made again there"))
