from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from internationale.core.actors import actor_of

from .models import User
from .services import user_set_operator


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People, for operators: e-mail sign-in, no username. Making someone an operator is
    `is_staff`; `is_superuser` gives the operator pages every model, and no right inside an
    organization (the platform's rules ignore it)."""

    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "language", "time_zone"]}),
        (
            _("Operator"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        # Appointing or removing an operator goes through its service, which audits it.
        if not (change and "is_staff" in form.changed_data):
            super().save_model(request, obj, form, change)
            return
        operator = obj.is_staff
        obj.is_staff = bool(form.initial.get("is_staff"))
        obj.is_superuser = bool(form.initial.get("is_superuser"))
        super().save_model(request, obj, form, change)
        user_set_operator(actor=actor_of(request), user=obj, operator=operator)


# Second factors, for operators: whose, which kind, when used; never their secrets. An operator
# may remove one for a person who lost their device; adding or editing one is for its owner only.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = ("user", "type", "created_at", "last_used_at")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
