"""An organization's federation tab (its block list and its key), mounted under organizations/<slug>/ by the
project's urls."""

from django.urls import path

from . import views_blocks, views_keys

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
        "federation/key/",
        views_keys.organization_key_rotate,
        name="federation_organization_key_rotate",
    ),
]
