from django.urls import path

from . import views

urlpatterns = [
    path("ask/", views.translation_ask, name="translation_ask"),
]
