"""The library's pages. Each part of the app adds its routes in its own section below."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.document_detail, name="document_detail"),
]

# Documents ---------------------------------------------------------------------------------------

# Search ------------------------------------------------------------------------------------------
