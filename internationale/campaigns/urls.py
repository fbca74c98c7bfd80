"""The pages of campaigns, under /campaigns/. Each part of the app appends its own below."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
