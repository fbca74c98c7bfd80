from typing import Any

from django import forms
from django.contrib import admin
from django.db import models

from internationale.core.actors import actor_of

from .forms import checked_logo
from .models import Employer, EmployerSite, Organization
from .services import organization_create, organization_update

# Addresses typed without a scheme are taken as https, as on the platform's own forms.
URLS_AS_HTTPS: dict[type[models.Field], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class OrganizationAdminForm(forms.ModelForm):
    """The admin builds the fields; this cleans the logo."""

    def clean_logo(self) -> Any:
        return checked_logo(self.cleaned_data.get("logo"))


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Organizations for operators. Verification is done on the organization's page, where it is
    audited; members are not listed here (they stay inside their organization). A logo uploaded
    here is checked and cleaned as on the organization's own page."""

    form = OrganizationAdminForm
    formfield_overrides = URLS_AS_HTTPS

    list_display = ["name", "slug", "kind", "country", "verified_at", "created_at"]
    list_filter = ["kind", "verified_at"]
    search_fields = ["name", "short_name", "slug", "city"]
    readonly_fields = ["verified_at"]

    def save_model(self, request: Any, obj: Organization, form: Any, change: bool) -> None:
        # Through the services, so an operator's change is checked and audited like any other.
        fields = {name: getattr(obj, name) for name in form.changed_data}
        if change:
            organization_update(
                actor=actor_of(request),
                organization=Organization.objects.get(pk=obj.pk),
                **fields,
            )
            obj.refresh_from_db()
            return
        created = organization_create(
            actor=actor_of(request),
            name=obj.name,
            country=obj.country,
            kind=obj.kind,
            **{k: v for k, v in fields.items() if k not in ("name", "country", "kind")},
        )
        obj.pk, obj.slug = created.pk, created.slug


class EmployerSiteInline(admin.TabularInline):
    model = EmployerSite
    extra = 0


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "headquarters", "created_at"]
    search_fields = ["name"]
    inlines = [EmployerSiteInline]
    formfield_overrides = URLS_AS_HTTPS
