"""The pages of actions, under /days/. Each part of the app appends its own below."""

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.day_list, name="day_list"),
    path("new/", views.day_create, name="day_create"),
    path("<int:pk>/", views.day_detail, name="day_detail"),
    path("<int:pk>/edit/", views.day_edit, name="day_edit"),
    path("<int:pk>/cancel/", views.day_cancel, name="day_cancel"),
    path("<int:pk>/invite/", views.day_invite, name="day_invite"),
    path("<int:pk>/cocall/", views.day_cocall, name="day_cocall"),
    path("<int:pk>/call/", views.day_call, name="day_call"),
    path("<int:pk>/answer/", views.day_answer, name="day_answer"),
    path("<int:pk>/answers/", views.day_answers, name="day_answers"),
    path("<int:pk>/calendar.ics", views.day_calendar, name="day_calendar"),
    path("<int:pk>/actions/new/", views.local_action_create, name="local_action_create"),
    path(
        "<int:pk>/actions/<int:action_pk>/",
        views.local_action_detail,
        name="local_action_detail",
    ),
    path(
        "<int:pk>/actions/<int:action_pk>/withdraw/",
        views.local_action_withdraw,
        name="local_action_withdraw",
    ),
]

# Reports back and the aggregated report (views_reports.py) -----------------------------------
from . import feeds, views_reports  # noqa: E402

urlpatterns += [
    path(
        "<int:pk>/actions/<int:action_pk>/report/",
        views_reports.report_detail,
        name="report_detail",
    ),
    path(
        "<int:pk>/actions/<int:action_pk>/report/edit/",
        views_reports.report_edit,
        name="report_edit",
    ),
    path(
        "<int:pk>/actions/<int:action_pk>/report/photos/<int:photo>/",
        views_reports.report_photo,
        name="report_photo",
    ),
    path(
        "<int:pk>/actions/<int:action_pk>/report/photos/<int:photo>/remove/",
        views_reports.report_photo_remove,
        name="report_photo_remove",
    ),
    path("<int:pk>/report/", views_reports.day_report, name="day_report"),
    path("<int:pk>/report.csv", views_reports.day_report_csv, name="day_report_csv"),
    path("<int:pk>/report/approve/", views_reports.day_report_approve, name="day_report_approve"),
    path(
        "<int:pk>/report/withdraw/", views_reports.day_report_withdraw, name="day_report_withdraw"
    ),
    path("<int:pk>/reports.atom", feeds.DayReportsFeed(), name="day_reports_feed"),
]
