import factory
from django.contrib.auth.models import Group
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SECRETARIAT_GROUP, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)


class SecretariatFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def secretariat_group(self, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
            self.groups.add(group)


# RFC 6238's test secret, "12345678901234567890" (in hex, as django-otp keeps it): its
# codes at given instants are printed in the RFC (Appendix B), so tests type known codes.
RFC_6238_KEY = "3132333435363738393031323334353637383930"


class AppDeviceFactory(factory.django.DjangoModelFactory):
    """An authenticator app set up and confirmed (django-otp's TOTP device)."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(SecretariatFactory)
    name = "Authenticator app"
    key = RFC_6238_KEY
    confirmed = True


def recovery_codes_for(user, codes: list[str]) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return device


def pass_second_step(client, device) -> None:
    """The client's session passed the second step with `device`, as after typing its code
    (what django_otp.login keeps in the session)."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
