"""Translation's pages. Each part of the app adds its routes in its own section below."""

from django.urls import path

from . import views

urlpatterns = [
    path("ask/", views.translation_ask, name="translation_ask"),
]

# Machine translation (operators) ------------------------------------------------------------------

from . import views_machine  # noqa: E402

urlpatterns += [
    path("pairs/", views_machine.translation_pairs, name="translation_pairs"),
]

# People who translate -----------------------------------------------------------------------------
