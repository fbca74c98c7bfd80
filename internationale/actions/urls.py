"""The pages of actions, under /days/. Each part of the app appends its own below."""

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.day_list, name="day_list"),
    path("new/", views.day_create, name="day_create"),
    path("<int:pk>/", views.day_detail, name="day_detail"),
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
