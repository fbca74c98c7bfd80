"""The notice e-mails form, shown on the person's settings page (accounts), which cannot import
this app: the page loads this tag instead."""

from typing import Any

from django import template

from ..forms import EmailEverythingForm, EmailPreferencesForm

register = template.Library()


@register.inclusion_tag("notifications/_email_preferences.html", takes_context=True)
def email_preferences(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    return {
        "form": EmailPreferencesForm(user=user),
        "everything": EmailEverythingForm(user=user),
        "csrf_token": context.get("csrf_token"),
    }
