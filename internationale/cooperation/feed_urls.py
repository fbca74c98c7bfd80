"""The organizations' calendar feeds, under /calendars/: no sign-in, the address is the key."""

from django.urls import path

from . import views_calendars

urlpatterns = [
    path("<str:token>.ics", views_calendars.calendar_feed, name="calendar_feed"),
]
