"""An organization's federation tab (its block list and its key), mounted under organizations/<slug>/ by the
project's urls."""

from django.urls import path

from . import views_blocks, views_keys, views_moving, views_remote

urlpatterns = [
    path(
        "federation/",
        views_blocks.organization_blocks,
        name="federation_organization_blocks",
    ),
    path(
        "federation/<int:pk>/remove/",
        views_blocks.organization_block_remove,
        name="federation_organization_block_remove",
    ),
    path(
        "federation/remote/",
        views_remote.organization_remote_queue,
        name="federation_organization_remote",
    ),
    path(
        "federation/key/",
        views_keys.organization_key_rotate,
        name="federation_organization_key_rotate",
    ),
    path(
        "federation/move/",
        views_moving.organization_move,
        name="federation_organization_move",
    ),
    path(
        "federation/also-known-as/",
        views_moving.organization_also_known_as,
        name="federation_organization_also_known_as",
    ),
    path(
        "federation/also-known-as/<int:pk>/remove/",
        views_moving.organization_also_known_as_remove,
        name="federation_organization_also_known_as_remove",
    ),
]
