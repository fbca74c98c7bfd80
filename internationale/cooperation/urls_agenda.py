"""The agenda and minutes pages of a meeting, under /meetings/<pk>/."""

from django.urls import path

from . import views_agenda as views

urlpatterns = [
    path("<int:pk>/agenda/new/", views.agenda_item_add, name="agenda_item_add"),
    path("<int:pk>/agenda/<int:item>/edit/", views.agenda_item_edit, name="agenda_item_edit"),
    path("<int:pk>/agenda/<int:item>/remove/", views.agenda_item_remove, name="agenda_item_remove"),
    path("<int:pk>/agenda/<int:item>/shift/", views.agenda_item_shift, name="agenda_item_shift"),
    path("<int:pk>/agenda/<int:item>/move/", views.agenda_item_move, name="agenda_item_move"),
    path(
        "<int:pk>/agenda/<int:item>/documents/new/",
        views.agenda_document_add,
        name="agenda_document_add",
    ),
    path(
        "<int:pk>/agenda/documents/<int:document>/",
        views.agenda_document_file,
        name="agenda_document_file",
    ),
    path(
        "<int:pk>/agenda/documents/<int:document>/remove/",
        views.agenda_document_remove,
        name="agenda_document_remove",
    ),
    path("<int:pk>/minutes/", views.minutes_detail, name="minutes_detail"),
    path("<int:pk>/minutes/<int:item>/edit/", views.minutes_edit, name="minutes_edit"),
    path("<int:pk>/minutes/submit/", views.minutes_submit, name="minutes_submit"),
    path("<int:pk>/minutes/approve/", views.minutes_approve, name="minutes_approve"),
    path(
        "<int:pk>/minutes/corrections/new/",
        views.correction_propose,
        name="minutes_correction_propose",
    ),
    path(
        "<int:pk>/minutes/corrections/<int:correction>/answer/",
        views.correction_answer,
        name="minutes_correction_answer",
    ),
]
