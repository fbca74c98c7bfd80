from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "internationale.accounts"
    label = "accounts"
