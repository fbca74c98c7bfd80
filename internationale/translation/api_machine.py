"""The REST API of translation: machine. Routes are declared here, registered in web/api.py."""

from ninja import Router

router = Router(tags=["translation"])
