from django.urls import path

from . import views, views_blocks, views_keys, views_remote

urlpatterns = [
    path("actor", views.instance_actor, name="federation_instance_actor"),
    path("actor/keys/<int:number>", views.instance_key, name="federation_instance_key"),
    path("actors/<slug:slug>", views.actor, name="federation_actor"),
    path("actors/<slug:slug>/inbox", views.inbox, name="federation_inbox"),
    path("actors/<slug:slug>/outbox", views.outbox, name="federation_outbox"),
    path("actors/<slug:slug>/followers", views.followers, name="federation_followers"),
    path("actors/<slug:slug>/keys/<int:number>", views.key, name="federation_key"),
    path("activities/<uuid:activity_id>", views.activity, name="federation_activity"),
    path("inbox", views.shared_inbox, name="federation_shared_inbox"),
    path("context", views.context, name="federation_context"),
    path("nodeinfo/2.1", views.nodeinfo, name="federation_nodeinfo"),
    # The operators' block list (views_blocks.py).
    path("blocks/", views_blocks.server_blocks, name="federation_blocks"),
    path(
        "blocks/<int:pk>/remove/", views_blocks.server_block_remove, name="federation_block_remove"
    ),
    # The server's own key, replaced by its operators (views_keys.py).
    path("key/rotate/", views_keys.server_key_rotate, name="federation_server_key_rotate"),
    # Remote organizations' moderation queue (views_remote.py).
    path("remote/", views_remote.remote_queue, name="federation_remote_queue"),
    path("remote/<int:pk>/", views_remote.remote_decide, name="federation_remote_decide"),
]
