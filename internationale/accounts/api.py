"""The REST API on the signed-in person: who the API sees you as, and for which organization."""

import datetime

from ninja import Field, Router, Schema

from internationale.core.api import ERRORS, ApiRequest, api_token, choice_of
from internationale.organizations.models import Membership, Organization
from internationale.organizations.selectors import memberships_of

from .models import ApiToken, User

router = Router(tags=["identity"])


class PersonOut(Schema):
    email: str
    name: str
    language: str
    time_zone: str
    is_operator: bool


class MyOrganizationOut(Schema):
    slug: str
    name: str
    verified: bool

    @staticmethod
    def resolve_verified(obj: Organization) -> bool:
        return obj.is_verified


class TokenOut(Schema):
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it.")
    organization: MyOrganizationOut = Field(description="The organization the token acts for.")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None

    @staticmethod
    def resolve_prefix(obj: ApiToken) -> str:
        return obj.key_prefix


class MyMembershipOut(Schema):
    organization: MyOrganizationOut
    role: choice_of(Membership.Role)  # type: ignore[valid-type]


class MeOut(Schema):
    user: PersonOut
    token: TokenOut | None = Field(description="The token of this request; none with a session.")
    memberships: list[MyMembershipOut] = Field(
        description="Your organizations and roles; with a token, only the token's organization."
    )


@router.get("/me", response={200: MeOut, **ERRORS}, url_name="me")
def me(request: ApiRequest) -> dict:
    """Who you are to the API and, with a token, the organization it acts for."""
    user: User = request.auth
    token = api_token(request)
    memberships = memberships_of(viewer=user)
    if token is not None:
        memberships = memberships.filter(organization_id=token.organization_id)
    return {"user": user, "token": token, "memberships": memberships}
