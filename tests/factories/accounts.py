import factory
from django.contrib.auth.models import Group

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
