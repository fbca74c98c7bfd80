"""The statement pages, under /statements/. Each part of the app appends its own below."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.statement_list, name="statement_list"),
    path("<int:pk>/", views.statement_detail, name="statement_detail"),
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
