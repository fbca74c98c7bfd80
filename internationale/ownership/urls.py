"""The pages of ownership, under /ownership/. Each part of the app appends its own below."""

from django.urls import URLPattern, URLResolver, path

from . import views_erase

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/erase/", views_erase.erase, name="erase"),
    path("<slug:slug>/erase/<int:pk>/confirm/", views_erase.erase_confirm, name="erase_confirm"),
    path("<slug:slug>/erase/<int:pk>/cancel/", views_erase.erase_cancel, name="erase_cancel"),
]
