"""The meeting pages, under /meetings/."""

from django.urls import path

from . import views
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

# The agenda and minutes of a meeting.
urlpatterns += agenda_urls
