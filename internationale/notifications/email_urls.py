from django.urls import path

from . import views

urlpatterns = [
    path("unsubscribe/<str:token>/", views.email_unsubscribe, name="email_unsubscribe"),
]
