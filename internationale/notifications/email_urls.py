from django.urls import path

from . import views

urlpatterns = [
    path("preferences/", views.email_preferences, name="email_preferences"),
    path("unsubscribe/<str:token>/", views.email_unsubscribe, name="email_unsubscribe"),
]
