"""The pages of ownership, under /ownership/. Each part of the app appends its own below."""

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/", views.ownership_exports, name="ownership_exports"),
    path(
        "<slug:slug>/exports/<int:pk>/",
        views.ownership_export_detail,
        name="ownership_export_detail",
    ),
    path(
        "<slug:slug>/exports/<int:pk>/download/",
        views.ownership_export_download,
        name="ownership_export_download",
    ),
]
