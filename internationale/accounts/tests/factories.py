import factory
from allauth.account.models import EmailAddress

from internationale.accounts.models import User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def confirmed(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)

    @factory.post_generation
    def two_factor(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """Operators have two-factor authentication set up, as the platform requires of them;
        `two_factor=False` makes one who has not yet, `two_factor=True` anyone who has."""
        if create and (extracted or (extracted is None and self.is_staff)):
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            TOTP.activate(self, generate_totp_secret())
