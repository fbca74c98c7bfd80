"""The notice e-mails part of the person's settings page (accounts, which cannot import this app:
the page loads this tag instead): the same for everything, and links to the page of each app's
kinds and to the page of the person's organizations."""

from typing import Any

from django import template

from ..email_groups import kind_groups
from ..forms import EmailEverythingForm, speaks

register = template.Library()


@register.inclusion_tag("notifications/_email_preferences.html", takes_context=True)
def email_preferences(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    speaking = speaks(user)
    return {
        "speaks": speaking,
        "everything": EmailEverythingForm(user=user) if speaking else None,
        "groups": kind_groups(),
        "csrf_token": context.get("csrf_token"),
    }
