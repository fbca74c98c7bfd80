"""Permissions of campaigns, declared once. Checked inside services; asked by pages and the API only to
choose what to show."""
