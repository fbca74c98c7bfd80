from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "internationale.organizations"
    label = "organizations"
