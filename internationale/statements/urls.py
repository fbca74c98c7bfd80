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
        "<int:pk>/participants/",
        views_drafting.statement_participants,
        name="statement_participants",
    ),
    path(
        "<int:pk>/paragraphs/<int:number>/comments/",
        views_drafting.paragraph_comments,
        name="paragraph_comments",
    ),
]

# Amendments and versions.
from . import views_amendments  # noqa: E402

urlpatterns += [
    path("<int:pk>/versions/", views_amendments.version_list, name="version_list"),
    path("<int:pk>/versions/<int:number>/", views_amendments.version_detail, name="version_detail"),
    path("<int:pk>/compare/", views_amendments.version_compare, name="version_compare"),
    path("<int:pk>/revise/", views_amendments.statement_revise, name="statement_revise"),
    path("<int:pk>/amendments/", views_amendments.amendment_list, name="amendment_list"),
    path(
        "<int:pk>/amendments/propose/",
        views_amendments.amendment_propose,
        name="amendment_propose",
    ),
    path("amendments/<int:pk>/", views_amendments.amendment_detail, name="amendment_detail"),
    path("amendments/<int:pk>/decide/", views_amendments.amendment_decide, name="amendment_decide"),
    path("amendments/<int:pk>/rebase/", views_amendments.amendment_rebase, name="amendment_rebase"),
    path(
        "amendments/<int:pk>/withdraw/",
        views_amendments.amendment_withdraw,
        name="amendment_withdraw",
    ),
]

# Positions, consensus and signatures.
from . import views_consensus  # noqa: E402

urlpatterns += [
    path(
        "<int:pk>/positions/call/", views_consensus.positions_call, name="statement_positions_call"
    ),
    path("<int:pk>/positions/", views_consensus.position_state, name="statement_position"),
    path("<int:pk>/signatures/add/", views_consensus.signature_add, name="statement_sign"),
    path(
        "<int:pk>/signatures/<int:signature>/decline/",
        views_consensus.signature_decline,
        name="statement_signature_decline",
    ),
]
