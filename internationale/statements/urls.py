"""The statement pages, under /statements/. Each part of the app appends its own below."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.statement_list, name="statement_list"),
    path("<int:pk>/", views.statement_detail, name="statement_detail"),
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
