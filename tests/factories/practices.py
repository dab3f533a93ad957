import factory
from django.utils import timezone

from practices.models import Practice
from tests.factories.regions import RegionFactory


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    title = factory.Sequence(lambda n: f"Practice {n}")
    slug = factory.Sequence(lambda n: f"practice-{n}")
    region = factory.SubFactory(RegionFactory)
    summary = "What the region did and why it worked."
    body = "## Approach\n\nTraining for **electric** drivetrains."
    theme_skills = True
    transition_green = True
    status = Practice.Status.DRAFT


class PublishedPracticeFactory(PracticeFactory):
    status = Practice.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
