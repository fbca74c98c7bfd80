"""An organization's API tokens, mounted under organizations/<slug>/ by the project's urls."""

from django.urls import path

from . import views

urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
