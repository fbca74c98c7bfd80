"""A person's own inbox, mounted under notices/ by the project's urls."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.personal_inbox, name="personal_inbox"),
    path("<int:pk>/", views.personal_entry, name="personal_entry"),
    path("<int:pk>/unread/", views.personal_unread, name="personal_unread"),
]
