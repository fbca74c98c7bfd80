"""Operators' pages of organizations, mounted under verification/ by the project's urls."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.verification_queue, name="verification_queue"),
]
