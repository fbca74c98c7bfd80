"""The library's pages. Each part of the app adds its routes in its own section below."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.document_detail, name="document_detail"),
]

# Documents ---------------------------------------------------------------------------------------

# Search ------------------------------------------------------------------------------------------
from . import views_search  # noqa: E402

urlpatterns += [
    path("search/", views_search.library_search, name="library_search"),
]
