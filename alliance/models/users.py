from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Role(models.TextChoices):
    THERAPIST = "therapist", "Therapist"
    SUPERVISOR = "supervisor", "Supervisor"
    PATIENT = "patient", "Patient"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


STAFF_ROLES = (Role.THERAPIST, Role.SUPERVISOR, Role.CLINIC_ADMIN)
CLINICIAN_ROLES = (Role.THERAPIST, Role.SUPERVISOR)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # Emails are matched without regard to case: Ana@x.org and ana@x.org are one person.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password (invited, not yet set)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in, with one role in one clinic.

    `is_staff` means access to the operators' Django admin, not clinic staff; clinic roles
    live in `role`. Superusers are operators and belong to no clinic.
    """

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    clinic = models.ForeignKey(
        "alliance.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # A confirmed authenticator app (alliance.two_factor). Kept on the user row, read with it at
    # every request: a login opened before the app was set up is asked for a code too.
    two_factor_on = models.BooleanField(default=False, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(clinic__isnull=True, role="")
                | (models.Q(clinic__isnull=False) & ~models.Q(role="")),
                name="user_clinic_role_together",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_operator(self) -> bool:
        """The people who run the service: the Django admin, no clinic, no patients."""
        return self.is_superuser and self.clinic_id is None

    @property
    def is_therapist(self) -> bool:
        return self.role == Role.THERAPIST

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_clinic_admin(self) -> bool:
        return self.role == Role.CLINIC_ADMIN

    @property
    def carries_caseload(self) -> bool:
        """Therapists, and supervisors who also see patients of their own."""
        return self.role in CLINICIAN_ROLES
