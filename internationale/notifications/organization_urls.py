"""An organization's webhooks, mounted under organizations/<slug>/ by the project's urls."""

from django.urls import path

from . import views

urlpatterns = [
    path("webhooks/", views.webhook_list, name="webhook_list"),
    path("webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path(
        "webhooks/<int:pk>/rotate-secret/",
        views.webhook_rotate_secret,
        name="webhook_rotate_secret",
    ),
    path(
        "webhooks/<int:pk>/retire-old-secret/",
        views.webhook_retire_previous_secret,
        name="webhook_retire_previous_secret",
    ),
]
