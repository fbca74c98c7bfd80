"""The REST API of library: search. Routes are declared here, registered in web/api.py."""

from ninja import Router

router = Router(tags=["library"])
