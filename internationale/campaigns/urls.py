"""The pages of campaigns, under /campaigns/. Each part of the app appends its own below."""

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/launch/", views.campaign_launch, name="campaign_launch"),
    path("<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("<int:pk>/sponsors/invite/", views.sponsor_invite, name="sponsor_invite"),
    path("<int:pk>/sponsors/answer/", views.sponsor_answer, name="sponsor_answer"),
    # The public: signing without an account, and confirming from the e-mail.
    path("<int:pk>/sign/", views.campaign_sign, name="campaign_sign"),
    path("<int:pk>/signed/", views.campaign_signed, name="campaign_signed"),
    path("confirm/<str:token>/", views.campaign_confirm, name="campaign_confirm"),
]

# Screening signatures: the operators' page (views_abuse.py).
from . import views_abuse  # noqa: E402

urlpatterns += [
    path("screening/", views_abuse.screening_overview, name="screening_overview"),
    path("screening/rules/", views_abuse.screening_rule_add, name="screening_rule_add"),
    path(
        "screening/rules/<int:pk>/remove/",
        views_abuse.screening_rule_remove,
        name="screening_rule_remove",
    ),
    path("screening/invalidate/", views_abuse.screening_invalidate, name="screening_invalidate"),
]

# Delivery to the targets: the organizer's page and downloads (views_delivery.py).
from . import views_delivery  # noqa: E402

urlpatterns += [
    path("<int:pk>/deliveries/", views_delivery.campaign_deliveries, name="campaign_deliveries"),
    path(
        "<int:pk>/download.<str:kind>",
        views_delivery.campaign_download,
        name="campaign_download",
    ),
]

# Signers: a sponsor's, and the signer's own page from the e-mail (views_sponsors.py).
from . import views_sponsors  # noqa: E402

urlpatterns += [
    path("<int:pk>/signers/<slug:slug>/", views_sponsors.sponsor_signers, name="sponsor_signers"),
    path(
        "<int:pk>/signers/<slug:slug>/export.csv",
        views_sponsors.sponsor_signers_export,
        name="sponsor_signers_export",
    ),
    path("signer/<str:token>/", views_sponsors.signer_manage, name="signer_manage"),
    path("signer/<str:token>/withdraw/", views_sponsors.signer_withdraw, name="signer_withdraw"),
    path("signer/<str:token>/erase/", views_sponsors.signer_erase, name="signer_erase"),
]

# News and the result (views_outcome.py).
from . import views_outcome  # noqa: E402

urlpatterns += [
    path("<int:pk>/updates/", views_outcome.campaign_updates, name="campaign_updates"),
    path("<int:pk>/updates/new/", views_outcome.update_create, name="campaign_update_create"),
    path("news/off/<str:token>/", views_outcome.campaign_news_off, name="campaign_news_off"),
]
