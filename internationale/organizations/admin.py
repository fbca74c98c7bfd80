from django.contrib import admin

from .models import Employer, EmployerSite, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Organizations for operators. Verification is done on the organization's page, where it is
    audited; members are not listed here (they stay inside their organization)."""

    list_display = ["name", "slug", "kind", "country", "verified_at", "created_at"]
    list_filter = ["kind", "verified_at"]
    search_fields = ["name", "short_name", "slug", "city"]
    readonly_fields = ["verified_at"]


class EmployerSiteInline(admin.TabularInline):
    model = EmployerSite
    extra = 0


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "headquarters", "created_at"]
    search_fields = ["name"]
    inlines = [EmployerSiteInline]
