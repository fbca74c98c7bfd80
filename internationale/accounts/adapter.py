from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from internationale.core.links import absolute_url, site


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.ACCOUNT_SIGNUP_OPEN)

    def format_email_subject(self, subject: str) -> str:
        # allauth's prefix names the site by the request's Host, which the client chooses.
        return f"[{site().name}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Every link allauth puts in an e-mail (password reset, confirmation, sign-up) is built
        # from the request's Host; each is rebuilt on SITE_URL, and the site named from it.
        links = {
            key: absolute_url(value)
            for key, value in context.items()
            if key.endswith("_url") and isinstance(value, str)
        }
        super().send_mail(template_prefix, email, context | links | {"current_site": site()})
