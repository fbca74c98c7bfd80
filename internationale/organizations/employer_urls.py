from django.urls import path

from . import views

urlpatterns = [
    path("", views.employer_list, name="employer_list"),
    path("new/", views.employer_create, name="employer_create"),
    path("<slug:slug>/", views.employer_detail, name="employer_detail"),
]
