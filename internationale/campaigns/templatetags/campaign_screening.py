"""The sign form's hidden fields for the screening (screening.py): a honeypot people leave empty,
and the signed time the form was made."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..screening import HONEYPOT, STARTED, form_fields

register = template.Library()


@register.simple_tag
def campaign_screening_fields(campaign_id: int) -> SafeString:
    fields = form_fields(campaign_id)
    # Hidden from eyes and from screen readers (aria-hidden), out of the tab order: only a robot
    # filling every field fills it.
    return format_html(
        '<div class="visually-hidden" aria-hidden="true">'
        '<label for="id_{0}">{1}</label>'
        '<input type="text" name="{0}" id="id_{0}" value="" tabindex="-1" autocomplete="off">'
        "</div>"
        '<input type="hidden" name="{2}" value="{3}">',
        HONEYPOT,
        _("Leave this field empty"),
        STARTED,
        fields[STARTED],
    )
