"""The meeting pages, under /meetings/."""

from django.urls import path

from . import views, views_agreements, views_calendars
from .urls_agenda import urlpatterns as agenda_urls

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/calendar.ics", views.meeting_calendar, name="meeting_calendar"),
    path("<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path("<int:pk>/answer/", views.meeting_answer, name="meeting_answer"),
]

# Series of meetings and the readiness of multilateral ones (series.py, readiness.py).
from . import views_readiness, views_series  # noqa: E402

urlpatterns += [
    path("<int:pk>/series/", views_series.series_create, name="series_create"),
    path("series/<int:pk>/", views_series.series_detail, name="series_detail"),
    path("series/<int:pk>/next/", views_series.series_next, name="series_next"),
    path("<int:pk>/readiness/", views_readiness.meeting_readiness, name="meeting_readiness"),
    path(
        "<int:pk>/readiness/propose/",
        views_readiness.readiness_propose,
        name="readiness_propose",
    ),
]

# Calendars: cancelling, the organization's calendar address (views_calendars.py).
urlpatterns += [
    path("<int:pk>/cancel/", views_calendars.meeting_cancel_view, name="meeting_cancel"),
    path("calendar/", views_calendars.calendar_feeds, name="calendar_feeds"),
    path(
        "calendar/<slug:slug>/renew/",
        views_calendars.calendar_feed_renew,
        name="calendar_feed_renew",
    ),
]
# The agenda and minutes of a meeting.
urlpatterns += agenda_urls
# Agreements, tasks, accountability and the history of relations (views_agreements.py).
urlpatterns += [
    path("<int:pk>/agreements/new/", views_agreements.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views_agreements.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/tasks/new/", views_agreements.task_create, name="task_create"),
    path("tasks/<int:pk>/", views_agreements.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views_agreements.task_edit, name="task_edit"),
    path("tasks/<int:pk>/status/", views_agreements.task_status, name="task_status"),
    path("tasks/<int:pk>/notes/", views_agreements.task_note, name="task_note"),
    path("tasks/<int:pk>/complete/", views_agreements.task_complete, name="task_complete"),
    path("tasks/<int:pk>/evidence/", views_agreements.task_evidence, name="task_evidence"),
    path("commitments/<slug:slug>/", views_agreements.commitments, name="commitments"),
    path(
        "commitments/<slug:slug>/export.csv",
        views_agreements.commitments_export,
        name="commitments_export",
    ),
    path(
        "relations/<slug:slug>/<slug:other>/",
        views_agreements.relation_history,
        name="relation_history",
    ),
]
