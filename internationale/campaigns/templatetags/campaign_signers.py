"""The signer's own link (sponsors.py), for the e-mails a signer receives."""

from django import template

from ..sponsors import signer_url

register = template.Library()


@register.simple_tag
def signer_link(signature_id: int) -> str:
    return signer_url(signature_id)
