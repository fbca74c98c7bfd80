from django.urls import path

from internationale.accounts import views as account_views
from internationale.notifications import views as notification_views

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
    path("<slug:slug>/audit/", account_views.audit_log, name="audit_log"),
    path("<slug:slug>/tokens/", account_views.token_list, name="token_list"),
    path("<slug:slug>/tokens/<int:pk>/revoke/", account_views.token_revoke, name="token_revoke"),
    path("<slug:slug>/webhooks/", notification_views.webhook_list, name="webhook_list"),
    path(
        "<slug:slug>/webhooks/<int:pk>/delete/",
        notification_views.webhook_delete,
        name="webhook_delete",
    ),
]
