"""Shared decisions in the three-talk model (Elwyn et al. 2012): choice, option and decision talk.

A talk belongs to an Alliance, so the one access rule decides who sees it. Nothing here is
ever deleted; once a decision is recorded its options and the decision itself are locked, and
changing course is a review (which may reopen the question as a new talk), never an edit.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from alliance.models.care import visible_records
from decisions.steps import STEP_INDEX, TALK_STAGES, Stage

NO_CHANGE_TITLE = "No change for now: wait and see"
NO_CHANGE_DESCRIPTION = "Carry on as we are, and look at the question again later."


class DecisionTalkQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DecisionTalkQuerySet":
        return visible_records(self, user)

    def due_for_review(self, today) -> "DecisionTalkQuerySet":
        """Decided talks whose review date has come, and deferred talks due to be taken up."""
        return self.filter(stage__in=[Stage.REVIEW, Stage.DEFERRED], due_on__lte=today)


class DecisionTalk(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the (alliance, stage) index leads with it.
    alliance = models.ForeignKey(
        "alliance.Alliance", on_delete=models.PROTECT, related_name="decision_talks", db_index=False
    )
    question = models.CharField("The question, in plain words", max_length=300)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.CHOICE)
    # The next date to act on: the review date once decided, the date to come back to a
    # deferred talk. Kept here so that "what is due" is one indexed query.
    due_on = models.DateField(null=True, blank=True)
    # A review that reopens a decision starts a new talk; the earlier one stays as it was.
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followed_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    stage_changed_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionTalkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["alliance", "stage"]),
            models.Index(fields=["stage", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="decision_talk_stage_known"
            ),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def is_open(self) -> bool:
        """In one of the three talks: its question, options and preferences can change."""
        return self.stage in TALK_STAGES

    @property
    def is_decided(self) -> bool:
        """Decided (only a review closes a talk): options and decision are locked."""
        return self.stage in (Stage.REVIEW, Stage.CLOSED)


class StepCheck(models.Model):
    """One step of a stage's checklist: done or not, a note, and when."""

    # No index of its own: the decision_step_once_per_talk (talk, key) index leads with it.
    talk = models.ForeignKey(
        DecisionTalk, on_delete=models.PROTECT, related_name="steps", db_index=False
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    done = models.BooleanField(default=False)
    done_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    # Set when the talk moved on to its next stage with this step not done.
    skipped = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["talk", "position"]
        constraints = [
            models.UniqueConstraint(fields=["talk", "key"], name="decision_step_once_per_talk"),
            models.CheckConstraint(
                condition=Q(done=False) | Q(skipped=False), name="decision_step_done_or_skipped"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return STEP_INDEX[self.key][2].label

    @property
    def hint(self) -> str:
        return STEP_INDEX[self.key][2].hint


class Option(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    talk = models.ForeignKey(DecisionTalk, on_delete=models.PROTECT, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField("The option, in a few words", max_length=120)
    description = models.TextField("What it involves", blank=True)
    benefits = models.TextField("Benefits", blank=True)
    drawbacks = models.TextField("Drawbacks and risks", blank=True)
    is_no_change = models.BooleanField(default=False)
    # The patient's view: how much it appeals (0-10) and what they said about it.
    appeal = models.PositiveSmallIntegerField(
        "How much it appeals to the patient (0-10)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
    )
    patient_words = models.TextField("The patient's view, in their words", blank=True)
    # An option set aside before the decision is kept, out of the comparison.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(appeal__isnull=True) | Q(appeal__lte=10), name="option_appeal_0_to_10"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """What matters most to the patient, in their words; `position` 1 matters most.

    Changing the list removes the earlier rows (removed_at) and adds the new list, so every
    earlier ordering stays in the record.
    """

    talk = models.ForeignKey(DecisionTalk, on_delete=models.PROTECT, related_name="preferences")
    position = models.PositiveSmallIntegerField()
    text = models.CharField("In the patient's words", max_length=500)
    removed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return self.text


class DecidedBy(models.TextChoices):
    PATIENT = "patient", "The patient decided"
    SHARED = "shared", "Decided together"
    CLINICIAN = "clinician", "The therapist decided, at the patient's request"


class Decision(models.Model):
    """The choice made at the end of the decision talk; never changed once recorded."""

    talk = models.OneToOneField(DecisionTalk, on_delete=models.PROTECT, related_name="decision")
    chosen_option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")
    decided_by = models.CharField(max_length=10, choices=DecidedBy.choices)
    reason = models.TextField("Why, in the patient's words")
    review_on = models.DateField("Review date")
    # Goals this decision started; a goal reaches its decisions as goal.decisions.
    goals = models.ManyToManyField("goals.Goal", related_name="decisions", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_on = models.DateField()

    def __str__(self) -> str:
        # Shown on the goal page as where the goal came from.
        day = self.decided_on
        return f"{self.talk.question} (decided {day.day} {day:%b %Y})"


class Deferral(models.Model):
    """The patient was not ready: the reason, and a date to come back to the talk."""

    talk = models.ForeignKey(DecisionTalk, on_delete=models.PROTECT, related_name="deferrals")
    from_stage = models.CharField(max_length=10, choices=Stage.choices)
    reason = models.TextField("Why it waits")
    come_back_on = models.DateField("Come back to it on")
    deferred_on = models.DateField()
    deferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["talk"],
                condition=Q(resumed_at__isnull=True),
                name="decision_one_open_deferral",
            ),
        ]

    def __str__(self) -> str:
        return f"Deferred on {self.deferred_on}"


class ReviewOutcome(models.TextChoices):
    FITS = "fits", "It still fits"
    REOPEN = "reopen", "It no longer fits: talk it through again"


class DecisionReview(models.Model):
    talk = models.ForeignKey(DecisionTalk, on_delete=models.PROTECT, related_name="reviews")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    note = models.TextField("What the patient said", blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed_on", "created_at"]

    def __str__(self) -> str:
        return f"Reviewed on {self.reviewed_on}"
