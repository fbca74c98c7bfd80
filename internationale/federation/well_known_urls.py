from django.urls import path

from . import views

urlpatterns = [
    path("webfinger", views.webfinger, name="federation_webfinger"),
    path("nodeinfo", views.nodeinfo_links, name="federation_nodeinfo_links"),
]
