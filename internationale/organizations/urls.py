from django.urls import path

from . import views

urlpatterns = [
    path("", views.organization_list, name="organization_list"),
    path("new/", views.organization_create, name="organization_create"),
    path("<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("<slug:slug>/edit/", views.organization_edit, name="organization_edit"),
    path("<slug:slug>/members/", views.member_list, name="member_list"),
    path("<slug:slug>/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("<slug:slug>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<slug:slug>/invite/", views.invitation_create, name="invitation_create"),
    path("<slug:slug>/relations/", views.relation_list, name="relation_list"),
    path("<slug:slug>/relations/new/", views.relation_propose, name="relation_propose"),
    path("<slug:slug>/relations/<int:pk>/decide/", views.relation_decide, name="relation_decide"),
    path("<slug:slug>/relations/<int:pk>/end/", views.relation_end, name="relation_end"),
    path("<slug:slug>/presences/", views.presence_list, name="presence_list"),
    path("<slug:slug>/presences/<int:pk>/remove/", views.presence_remove, name="presence_remove"),
    path("<slug:slug>/vouch/", views.vouch, name="vouch"),
    path("<slug:slug>/vouches/<int:pk>/withdraw/", views.vouch_withdraw, name="vouch_withdraw"),
    path("<slug:slug>/verify/", views.verify, name="verify"),
]
