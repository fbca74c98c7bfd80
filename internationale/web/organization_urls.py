"""An organization's audit log, mounted under organizations/<slug>/ by the project's urls."""

from django.urls import path

from . import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
]
