import factory
from django.utils import timezone

from internationale.organizations.models import (
    Employer,
    EmployerSite,
    Membership,
    Organization,
    OrganizationLanguage,
    Presence,
    Relation,
)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Workers' Union {n}")
    slug = factory.Sequence(lambda n: f"union-{n}")
    kind = Organization.Kind.UNION
    country = "BR"
    verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            for tag in extracted or ["en"]:
                OrganizationLanguage.objects.create(organization=self, tag=tag)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory("internationale.accounts.tests.factories.UserFactory")
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.MEMBER


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Global Logistics {n}")
    slug = factory.Sequence(lambda n: f"global-logistics-{n}")
    headquarters = "DE"


class EmployerSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerSite

    employer = factory.SubFactory(EmployerFactory)
    name = factory.Sequence(lambda n: f"Warehouse {n}")
    country = "BR"


class PresenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Presence

    organization = factory.SubFactory(OrganizationFactory)
    employer = factory.SubFactory(EmployerFactory)
    site = None


class RelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relation

    proposer = factory.SubFactory(OrganizationFactory)
    partner = factory.SubFactory(OrganizationFactory)
    kind = Relation.Kind.FRATERNAL
    status = Relation.Status.ACCEPTED
