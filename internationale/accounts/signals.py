"""API tokens end when the person's credentials change: a new password, a second factor set up.
Connected when the app is ready."""

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.db.models.signals import post_save
from django.dispatch import receiver

from internationale.core.actors import System

from .models import User
from .services import tokens_revoke_all


@receiver(post_save, sender=User)
def revoke_tokens_on_new_password(
    sender: Any, instance: User, created: bool, **kwargs: Any
) -> None:
    # Django keeps the raw password given to set_password() until the save that stores it ends,
    # whoever set it: the person (change or reset), an operator, the command line. A password
    # rehashed at sign-in is not a new one (Django clears it first).
    if created or getattr(instance, "_password", None) is None:
        return
    tokens_revoke_all(actor=System(reason="password"), user=instance, reason="password")


@receiver(authenticator_added)
def revoke_tokens_on_second_factor(
    sender: Any, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        return  # they come with, or after, a second factor already set up
    tokens_revoke_all(actor=System(reason="two_factor"), user=user, reason="two_factor")
