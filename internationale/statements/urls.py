"""The statement pages, under /statements/. Each part of the app appends its own below."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.statement_list, name="statement_list"),
    path("<int:pk>/", views.statement_detail, name="statement_detail"),
]

# Drafting ----------------------------------------------------------------------------------------
from . import views_drafting  # noqa: E402

urlpatterns += [
    path("new/", views_drafting.statement_create, name="statement_create"),
    path("<int:pk>/invite/", views_drafting.statement_invite, name="statement_invite"),
    path("<int:pk>/settings/", views_drafting.statement_settings, name="statement_settings"),
    path("<int:pk>/withdraw/", views_drafting.statement_withdraw, name="statement_withdraw"),
    path("<int:pk>/support/", views_drafting.statement_support, name="statement_support"),
    path("<int:pk>/unsupport/", views_drafting.statement_unsupport, name="statement_unsupport"),
    path(
        "<int:pk>/paragraphs/<int:number>/comments/",
        views_drafting.paragraph_comments,
        name="paragraph_comments",
    ),
]
