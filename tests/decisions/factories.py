import factory

from decisions.models import DecisionTalk, Option, Preference, StepCheck
from decisions.steps import ALL_STEPS
from tests.factories import AllianceFactory


class DecisionTalkFactory(factory.django.DjangoModelFactory):
    """A talk at choice talk with its checklists, as decisions.services.talk_start makes it."""

    class Meta:
        model = DecisionTalk
        skip_postgeneration_save = True

    alliance = factory.SubFactory(AllianceFactory)
    question = factory.Sequence(lambda n: f"Question {n}: try something new, or wait?")
    created_by = factory.SelfAttribute("alliance.therapist")

    @factory.post_generation
    def checklists(obj, create, extracted, **kwargs):  # noqa: N805 - factory-boy's hook signature
        if create:
            StepCheck.objects.bulk_create(
                StepCheck(talk=obj, stage=stage, key=step.key, position=number)
                for number, (stage, step) in enumerate(ALL_STEPS)
            )


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    talk = factory.SubFactory(DecisionTalkFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Option {n}")
    description = "Weekly sessions with small steps between them."
    benefits = "Steady progress."
    drawbacks = "Takes an hour a week."
    appeal = 6
    patient_words = "It sounds doable."


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preference

    talk = factory.SubFactory(DecisionTalkFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"What matters {n}")
    created_by = factory.SelfAttribute("talk.created_by")
