"""The material aid pages, under /appeals/ beside the appeal they belong to."""

from django.urls import path

from . import views

urlpatterns = [
    path("pledges/<int:pk>/aid/", views.contribution_declare, name="contribution_declare"),
    path("aid/<int:pk>/confirm/", views.contribution_confirm, name="contribution_confirm"),
]
