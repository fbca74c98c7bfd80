from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from internationale.api import api
from internationale.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dashboard/", core_views.dashboard, name="dashboard"),
    path("settings/", include("internationale.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("organizations/", include("internationale.organizations.urls")),
    path("employers/", include("internationale.organizations.employer_urls")),
    path("invitations/", include("internationale.organizations.invitation_urls")),
    path("inbox/", include("internationale.notifications.urls")),
    path("appeals/", include("internationale.appeals.urls")),
    path("appeals/", include("internationale.aid.urls")),
    path("api/v1/", api.urls),
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
