"""What an organization owns of ownership (core/owned.py): nothing; the record of an erase is the
server's."""

from django.utils.translation import gettext_noop

from internationale.core.owned import declare_not_owned

declare_not_owned("ownership.EraseRequest", gettext_noop("the server's record of an erase"))
