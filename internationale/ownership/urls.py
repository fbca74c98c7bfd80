"""The pages of ownership, under /ownership/. Each part of the app appends its own below."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
