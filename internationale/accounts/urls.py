from django.urls import path

from . import views

urlpatterns = [
    path("", views.settings_view, name="account_settings"),
    path("language/", views.set_language, name="set_language"),
]
