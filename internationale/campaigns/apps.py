from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "internationale.campaigns"
    label = "campaigns"
