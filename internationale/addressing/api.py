"""The criteria of every addressed thing's routing endpoints (REST API): the schema, and its
organizations named by slug turned into ids."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema

from internationale.organizations.models import Organization

from .routing import Criteria


class CriteriaIn(Schema):
    employer: bool = Field(False, description="Organizations at the same employer.")
    sector: bool = Field(False, description="Organizations in one of the issuer's sectors.")
    relations: bool = Field(False, description="The issuer's accepted partners.")
    languages: bool = Field(False, description="Organizations sharing a language.")
    countries: list[str] = Field(default_factory=list, description="ISO 3166 codes.")
    regions: list[str] = Field(default_factory=list, description="UN M49 regions or subregions.")
    add: list[str] = Field(default_factory=list, description="Slugs of organizations to add.")
    remove: list[str] = Field(default_factory=list, description="Slugs to leave out.")

    def criteria(self) -> Criteria:
        """The criteria for `routing.route`. An unknown slug to add refuses the request
        (ValidationError, the API's 400); one to leave out is ignored."""
        return Criteria(
            employer=self.employer,
            sector=self.sector,
            relations=self.relations,
            languages=self.languages,
            countries=list(self.countries),
            regions=list(self.regions),
            add=slugs_to_ids(self.add, "add", strict=True),
            remove=slugs_to_ids(self.remove, "remove", strict=False),
        )


def slugs_to_ids(slugs: list[str], field: str, *, strict: bool) -> list[int]:
    """The ids of the verified organizations named by `slugs`, in their order. With `strict`,
    a slug that names none is a ValidationError on `field`; without, it is left out."""
    found = dict(
        Organization.objects.filter(slug__in=slugs, verified_at__isnull=False).values_list(
            "slug", "pk"
        )
    )
    unknown = [s for s in slugs if s not in found]
    if unknown and strict:
        raise ValidationError(
            {
                field: _("There is no verified organization at: %(slugs)s.")
                % {"slugs": ", ".join(unknown)}
            },
            code="unknown_addressee",
        )
    return [found[s] for s in slugs if s in found]
