from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/", views.inbox, name="inbox"),
    path("<slug:slug>/<int:pk>/", views.inbox_entry, name="inbox_entry"),
    path("<slug:slug>/<int:pk>/unread/", views.inbox_unread, name="inbox_unread"),
]
