from django.urls import path

from . import feeds, views

urlpatterns = [
    path("", views.appeal_list, name="appeal_list"),
    path("new/", views.appeal_create, name="appeal_create"),
    path("feed/", feeds.PublicAppealsFeed(), name="appeal_feed"),
    path("feed/country/<str:country>/", feeds.CountryAppealsFeed(), name="appeal_feed_country"),
    path("feed/sector/<str:sector>/", feeds.SectorAppealsFeed(), name="appeal_feed_sector"),
    path("owed/<slug:slug>/", views.pledges_owed, name="pledges_owed"),
    path("<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("<int:pk>/edit/", views.appeal_edit, name="appeal_edit"),
    path("<int:pk>/send/", views.appeal_send, name="appeal_send"),
    path("<int:pk>/addressees/", views.appeal_add_addressees, name="appeal_add_addressees"),
    path("<int:pk>/summary/", views.appeal_summary, name="appeal_summary"),
    path("<int:pk>/acknowledge/", views.appeal_acknowledge, name="appeal_acknowledge"),
    path("<int:pk>/decline/", views.appeal_decline, name="appeal_decline"),
    path("<int:pk>/pass/", views.appeal_pass, name="appeal_pass"),
    path("<int:pk>/pledge/", views.pledge_create, name="pledge_create"),
    path("<int:pk>/update/", views.appeal_update, name="appeal_update"),
    path("<int:pk>/escalate/", views.appeal_escalate, name="appeal_escalate"),
    path("<int:pk>/resolve/", views.appeal_resolve, name="appeal_resolve"),
    path("<int:pk>/close/", views.appeal_close, name="appeal_close"),
    path("pledges/<int:pk>/fulfil/", views.pledge_fulfil, name="pledge_fulfil"),
    path("pledges/<int:pk>/withdraw/", views.pledge_withdraw, name="pledge_withdraw"),
    path("pledges/<int:pk>/evidence/", views.pledge_evidence, name="pledge_evidence"),
]
