"""The library's pages. Each part of the app adds its routes in its own section below."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.document_detail, name="document_detail"),
]

# Documents ---------------------------------------------------------------------------------------
from . import feeds_docs, views_docs  # noqa: E402

urlpatterns += [
    path("", views_docs.document_list, name="document_list"),
    path("new/", views_docs.document_create, name="document_create"),
    path("<int:pk>/edit/", views_docs.document_edit, name="document_edit"),
    path("<int:pk>/delete/", views_docs.document_delete, name="document_delete"),
    path("<int:pk>/address/", views_docs.document_address, name="document_address"),
    path("<int:pk>/files/", views_docs.document_files, name="document_files"),
    path(
        "<int:pk>/files/<int:file_pk>/",
        views_docs.document_file_download,
        name="document_file_download",
    ),
    path(
        "<int:pk>/files/<int:file_pk>/delete/",
        views_docs.document_file_delete,
        name="document_file_delete",
    ),
    path("digest/", views_docs.digest_choice, name="library_digest"),
    path("digest/off/<str:token>/", views_docs.digest_off, name="library_digest_off"),
    path("feed/", feeds_docs.PublicDocumentsFeed(), name="document_feed"),
    path(
        "feed/organization/<str:slug>/",
        feeds_docs.OrganizationDocumentsFeed(),
        name="document_feed_organization",
    ),
    path("feed/kind/<str:kind>/", feeds_docs.KindDocumentsFeed(), name="document_feed_kind"),
    path(
        "feed/language/<str:language>/",
        feeds_docs.LanguageDocumentsFeed(),
        name="document_feed_language",
    ),
]

# Search ------------------------------------------------------------------------------------------
from . import views_search  # noqa: E402

urlpatterns += [
    path("search/", views_search.library_search, name="library_search"),
]
