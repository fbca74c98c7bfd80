"""An organization's webhooks, mounted under organizations/<slug>/ by the project's urls."""

from django.urls import path

from . import views

urlpatterns = [
    path("webhooks/", views.webhook_list, name="webhook_list"),
    path("webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
]
