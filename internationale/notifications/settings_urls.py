"""A person's notice e-mails, one page per app's kinds and one for their organizations, mounted
under settings/emails/ by the project's urls beside the settings page (accounts)."""

from django.urls import path

from . import views

urlpatterns = [
    path("kinds/<slug:group>/", views.email_kinds, name="email_kinds"),
    path("organizations/", views.email_organizations, name="email_organizations"),
]
