"""The pages of actions, under /days/. Each part of the app appends its own below."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
