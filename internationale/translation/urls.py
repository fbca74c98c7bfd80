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

from . import views_people  # noqa: E402

urlpatterns += [
    path("volunteer/", views_people.volunteer, name="translation_volunteer"),
    path(
        "volunteer/<int:pk>/remove/",
        views_people.volunteer_remove,
        name="translation_volunteer_remove",
    ),
    path("requests/", views_people.request_list, name="translation_request_list"),
    path("requests/mine/", views_people.request_mine, name="translation_request_mine"),
    path("requests/<int:pk>/", views_people.request_detail, name="translation_request"),
    path("requests/<int:pk>/take/", views_people.request_take, name="translation_request_take"),
    path(
        "requests/<int:pk>/release/",
        views_people.request_release,
        name="translation_request_release",
    ),
    path(
        "requests/<int:pk>/submit/",
        views_people.request_submit,
        name="translation_request_submit",
    ),
    path(
        "requests/<int:pk>/withdraw/",
        views_people.request_withdraw,
        name="translation_request_withdraw",
    ),
]
