"""The statement pages, under /statements/. Each part of the app appends its own below."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.statement_list, name="statement_list"),
    path("<int:pk>/", views.statement_detail, name="statement_detail"),
]

# Publication -------------------------------------------------------------------------------------
from . import feeds, views_publication  # noqa: E402

urlpatterns += [
    path("published/", views_publication.statement_published, name="statement_published"),
    path("feed/", feeds.PublicStatementsFeed(), name="statement_feed"),
    path("<int:pk>/print/", views_publication.statement_print, name="statement_print"),
    path(
        "<int:pk>/translations/new/",
        views_publication.translation_add,
        name="statement_translation_add",
    ),
    path(
        "<int:pk>/translations/<str:language>/edit/",
        views_publication.translation_edit,
        name="statement_translation_edit",
    ),
    path(
        "<int:pk>/translations/<str:language>/remove/",
        views_publication.translation_remove,
        name="statement_translation_remove",
    ),
]

# Advice between organizations --------------------------------------------------------------------
from . import views_advice  # noqa: E402

urlpatterns += [
    path("advice/new/", views_advice.advice_create, name="advice_create"),
    path("advice/<int:pk>/", views_advice.advice_detail, name="advice_detail"),
    path("advice/<int:pk>/answer/", views_advice.advice_answer, name="advice_answer"),
    path("advice/of/<slug:slug>/", views_advice.advice_history, name="advice_history"),
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
