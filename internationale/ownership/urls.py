"""The pages of ownership, under /ownership/. Each part of the app appends its own below."""

from django.urls import URLPattern, URLResolver, path

from . import views, views_erase, views_pending

urlpatterns: list[URLPattern | URLResolver] = [
    # A person's own data (before the organizations' addresses, which are one word).
    path("people/me/", views.person_data, name="person_data"),
    path("people/me/data/", views.person_data_export, name="person_data_export"),
    path("people/me/delete/", views.account_delete, name="account_delete"),
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
    path(
        "<slug:slug>/pending/<int:pk>/propose/",
        views_pending.pending_relation,
        {"action": "propose"},
        name="pending_relation_propose",
    ),
    path(
        "<slug:slug>/pending/<int:pk>/dismiss/",
        views_pending.pending_relation,
        {"action": "dismiss"},
        name="pending_relation_dismiss",
    ),
    path("<slug:slug>/erase/", views_erase.erase, name="erase"),
    path("<slug:slug>/erase/<int:pk>/confirm/", views_erase.erase_confirm, name="erase_confirm"),
    path("<slug:slug>/erase/<int:pk>/cancel/", views_erase.erase_cancel, name="erase_cancel"),
]
