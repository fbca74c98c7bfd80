from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from internationale.accounts import views as account_views
from internationale.web import views as web_views
from internationale.web.api import api

urlpatterns = [
    path("", web_views.home, name="home"),
    path("dashboard/", web_views.dashboard, name="dashboard"),
    path("settings/", include("internationale.accounts.urls")),
    path("settings/emails/", include("internationale.notifications.settings_urls")),
    path("accounts/", include("allauth.urls")),
    path("organizations/", include("internationale.organizations.urls")),
    # Organization-scoped pages of other apps, each routed by its own app.
    path("organizations/<slug:slug>/", include("internationale.accounts.organization_urls")),
    path("organizations/<slug:slug>/", include("internationale.notifications.organization_urls")),
    path("organizations/<slug:slug>/", include("internationale.web.organization_urls")),
    path("organizations/<slug:slug>/", include("internationale.federation.organization_urls")),
    path("employers/", include("internationale.organizations.employer_urls")),
    path("verification/", include("internationale.organizations.operator_urls")),
    path("invitations/", include("internationale.organizations.invitation_urls")),
    path("inbox/", include("internationale.notifications.urls")),
    path("email/", include("internationale.notifications.email_urls")),
    path("notices/", include("internationale.notifications.personal_urls")),
    path("appeals/", include("internationale.appeals.urls")),
    path("appeals/", include("internationale.aid.urls")),
    path("meetings/", include("internationale.cooperation.urls")),
    path("calendars/", include("internationale.cooperation.feed_urls")),
    path("statements/", include("internationale.statements.urls")),
    path("translations/", include("internationale.translation.urls")),
    path("library/", include("internationale.library.urls")),
    path("campaigns/", include("internationale.campaigns.urls")),
    path("days/", include("internationale.actions.urls")),
    path("ownership/", include("internationale.ownership.urls")),
    path("api/v1/", api.urls),
    # ActivityPub, and the discovery addresses other servers look for (RFC 8615).
    path("federation/", include("internationale.federation.urls")),
    path(".well-known/", include("internationale.federation.well_known_urls")),
    # Operators sign in through the platform's sign-in (two-factor, limits), not the admin's form.
    path("operator/login/", account_views.operator_login, name="operator_login"),
    path("operator/", admin.site.urls),
    # Only logos are public files. Anything else uploaded (evidence of pledges, …) has no URL here:
    # it is served by a view that checks who may see it.
    path(
        "media/logos/<path:path>",
        serve,
        {"document_root": settings.MEDIA_ROOT / "logos"},
        name="media",
    ),
]

# The platform's own error pages, in the reader's language (see web/errors.py).
handler400 = "internationale.web.errors.bad_request"
handler403 = "internationale.web.errors.permission_denied"
handler404 = "internationale.web.errors.page_not_found"
handler500 = "internationale.web.errors.server_error"
