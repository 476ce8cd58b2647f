import datetime

import factory

from alliance.models import Alliance, Clinic, Patient, Role, Supervision, User

PASSWORD = "correct-horse-battery"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Clinic {n}")
    time_zone = "Europe/London"
    # New clinics require two-step login for staff (the model's default); the role fixtures'
    # clinics do not, so that tests log in with force_login alone. tests/alliance/
    # test_two_factor.py turns it on.
    staff_two_factor_required = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"User {n}")
    clinic = factory.SubFactory(ClinicFactory)
    role = Role.THERAPIST
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory-boy's hook signature
        if create:
            obj.save()


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    date_of_birth = datetime.date(1990, 5, 17)


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance

    therapist = factory.SubFactory(UserFactory)
    clinic = factory.SelfAttribute("therapist.clinic")
    patient = factory.SubFactory(PatientFactory, clinic=factory.SelfAttribute("..clinic"))
    started_on = datetime.date(2026, 1, 5)


class SupervisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervision

    supervisor = factory.SubFactory(UserFactory, role=Role.SUPERVISOR)
    therapist = factory.SubFactory(UserFactory, clinic=factory.SelfAttribute("..supervisor.clinic"))
    clinic = factory.SelfAttribute("supervisor.clinic")
    starts_on = datetime.date(2026, 1, 1)


def force_login_verified(client, user) -> None:
    """Log in past the second step, as after a right code from a confirmed authenticator app
    (operators and staff of clinics that require two-step login)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    User.objects.filter(pk=user.pk).update(two_factor_on=True)
    user.two_factor_on = True
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
