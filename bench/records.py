"""One patient's clinical record, as the app would have written it over months of care:
goals with versions, progress and reviews; weekly sessions with notes, signatures, goal work,
ratings and the alerts they raise (and the repairs that close them); decision talks.

The alert rules are the app's (sessions_log.services.ratings.strain), applied to the
generated ratings, so the alerts are the ones the app would have opened.
"""

import dataclasses
import datetime
import random
import uuid
from decimal import Decimal

from bench import texts
from bench.records_talks import TalkRecords
from goals import models as g
from goals.models import GAS_FIELDS as GAS
from goals.models import WORDING_FIELDS, Lifecycle
from sessions_log import models as s
from sessions_log.models.session import COMMUNICATION, NOTE_FIELDS, PATIENT_CENTRED

GOAL_STATES = [
    (Lifecycle.ACTIVE, 50),
    (Lifecycle.PROPOSED, 10),
    (Lifecycle.ON_HOLD, 5),
    (Lifecycle.COMPLETED, 20),
    (Lifecycle.CANCELLED, 10),
    (Lifecycle.ENTERED_IN_ERROR, 2),
    (Lifecycle.REJECTED, 3),
]
WORKED = (Lifecycle.ACTIVE, Lifecycle.ON_HOLD, Lifecycle.COMPLETED)
ATTENDANCE = [("attended", 85), ("cancelled_patient", 7), ("cancelled_clinic", 3), ("no_show", 5)]
ITEMS = ("goals", "tasks", "bond", "overall")


def weighted(rng: random.Random, choices):
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def new_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@dataclasses.dataclass
class Clinic:
    id: int
    alert_cutoff: int
    alert_drop: int
    alert_gap: int


@dataclasses.dataclass
class Person:
    """A patient's episode of care with one therapist, and who may act on it."""

    alliance_id: uuid.UUID
    therapist_id: int
    supervisor_id: int
    cosign: bool
    portal_user_id: int | None
    started_on: datetime.date
    ended_on: datetime.date | None
    clinic: Clinic


class Records(TalkRecords):
    def __init__(self, *, load, rng, zone, today, now, options):
        self.load = load
        self.rng = rng
        self.zone = zone
        self.today = today
        self.now = now
        self.options = options

    def weighted(self, choices):
        return weighted(self.rng, choices)

    def new_uuid(self) -> uuid.UUID:
        return new_uuid(self.rng)

    def _at(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.zone)

    # Goals

    def goals(self, person: Person, count: int) -> list[dict]:
        rng, made = self.rng, []
        for number in range(count):
            if self.options.all_goals_active:
                state = Lifecycle.ACTIVE
            else:
                state = weighted(rng, GOAL_STATES)
            made.append(self._goal(person, number, state))
        return made

    def _goal(self, person: Person, number: int, state: str) -> dict:
        rng = self.rng
        description, measure, baseline, target, unit = texts.GOALS[rng.randrange(len(texts.GOALS))]
        gas = rng.random() < 0.4
        draft = state == Lifecycle.PROPOSED and rng.random() < 0.3
        created = min(person.started_on + datetime.timedelta(days=7 * number), self.today)
        proposed_at = None if draft else self._at(created, 11)
        interval = rng.choice([14, 28, 28, 42, 56])
        wording = {
            "description": description,
            "measure": measure,
            "baseline": Decimal(baseline),
            "target": Decimal(target),
            "unit": unit,
            "direction": "increase" if target > baseline else "decrease",
            "steps": texts.STEPS,
            "resources": texts.RESOURCES,
            "barriers": texts.BARRIERS,
            "relevance": texts.RELEVANCE,
            "target_date": created + datetime.timedelta(days=168),
            "review_interval_days": interval,
            "priority": rng.choice(["high-priority", "medium-priority", "low-priority"]),
            **{name: text if gas else "" for name, text in zip(GAS, texts.GAS, strict=True)},
        }
        agreed = state not in (Lifecycle.PROPOSED, Lifecycle.REJECTED, Lifecycle.ENTERED_IN_ERROR)
        patient_answer = "agree" if agreed else rng.choice(["pending", "pending", "disagree"])
        if state == Lifecycle.REJECTED:
            patient_answer = "disagree"
        next_review = None
        if state == Lifecycle.ACTIVE:
            ahead = 69 if self.options.all_goals_active else 42
            next_review = self.today + datetime.timedelta(days=self.rng.randint(-14, ahead))
        version = 0 if draft else (2 if rng.random() < 0.15 else 1)
        goal = {
            "id": new_uuid(rng),
            "alliance_id": person.alliance_id,
            **wording,
            "lifecycle_status": state,
            "achievement_status": "improving" if state == Lifecycle.ACTIVE else "",
            "status_date": created,
            "expressed_by": rng.choice(["patient", "therapist"]),
            "proposed_at": proposed_at,
            "version": version,
            "patient_agreement": "pending" if draft else patient_answer,
            "patient_answered_at": None if draft or patient_answer == "pending" else proposed_at,
            "therapist_agreement": "pending" if draft else "agree",
            "therapist_answered_at": proposed_at,
            "started_on": created if agreed else None,
            "next_review_on": next_review,
            "created_by_id": person.therapist_id,
            "created_at": self._at(created, 11),
            "updated_at": self._at(created, 11),
        }
        self.load[g.Goal].add(**goal)
        json_wording = {k: _jsonable(wording[k]) for k in WORDING_FIELDS}
        for number in range(1, version + 1):
            self.load[g.GoalVersion].add(
                id=self.load[g.GoalVersion].next_id(),
                goal_id=goal["id"],
                number=number,
                wording=json_wording,
                changed_by_id=person.therapist_id,
                changed_at=proposed_at,
            )
        if state == Lifecycle.ACTIVE and rng.random() < 0.5:
            self.load[g.GoalReview].add(
                id=self.load[g.GoalReview].next_id(),
                goal_id=goal["id"],
                reviewed_on=next_review - datetime.timedelta(days=interval),
                outcome="continue",
                note="Going in the right direction; keep the same steps.",
                reviewed_by_id=person.therapist_id,
                next_review_on=next_review,
                created_at=self._at(next_review - datetime.timedelta(days=interval), 12),
            )
        if state == Lifecycle.ACTIVE and person.portal_user_id:
            for weeks in (8, 4, 1):
                self._progress(goal, self.today - datetime.timedelta(weeks=weeks), 0.8, person,
                               by=person.portal_user_id, party="patient")  # fmt: skip
        return goal

    def _progress(self, goal, day, share, person, *, by, party) -> int:
        table = self.load[g.GoalProgress]
        baseline, target = goal["baseline"], goal["target"]
        value = (baseline + (target - baseline) * Decimal(share)).quantize(Decimal("0.01"))
        gas_level = max(-2, min(2, round(-2 + 3 * share))) if goal["gas_0"] else None
        progress_id = table.next_id()
        table.add(
            id=progress_id,
            goal_id=goal["id"],
            recorded_on=day,
            value=value,
            gas_level=gas_level,
            reported_by=party,
            recorded_by_id=by,
            created_at=self._at(day, 18),
        )
        return progress_id

    # Sessions

    def sessions(self, person: Person, goals: list[dict], count: int) -> list[tuple]:
        """Weekly sessions up to the last one; returns (id, day) of the attended ones."""
        if not count:
            return []
        rng = self.rng
        worked = [goal for goal in goals if goal["lifecycle_status"] in WORKED]
        if person.ended_on:
            last = person.ended_on - datetime.timedelta(days=rng.randint(0, 6))
        else:
            last = self.today - datetime.timedelta(days=rng.randint(1, 12))
        first = last - datetime.timedelta(days=7 * (count - 1))
        base = [rng.choice([9, 10]) for _ in ITEMS]
        if rng.random() < 0.1:
            base[rng.randrange(4)] = 7
        state = {"previous": None, "open": [], "alerts": []}
        attended = []
        for number in range(count):
            day = first + datetime.timedelta(days=7 * number)
            recent = person.ended_on is None and number >= count - 2
            draft = person.ended_on is None and number == count - 1 and rng.random() < 0.12
            session_id = self._session(
                person, day, worked, base, state, number / max(count - 1, 1), draft, recent
            )
            if session_id:
                attended.append((session_id, day))
        for alert in state["alerts"]:
            self.load[s.AllianceAlert].add(**alert)
        return attended

    def _session(self, person, day, worked, base, state, share, draft, recent):
        rng, load = self.rng, self.load
        attendance = weighted(rng, ATTENDANCE)
        starts_at = self._at(day, rng.randint(9, 17), rng.choice([0, 30]))
        signed_at = None if draft else starts_at + datetime.timedelta(hours=2)
        session_id = new_uuid(rng)
        came = attendance == "attended"
        repair = ""
        if came and state["open"] and not recent and not draft and rng.random() < 0.8:
            repair = texts.REPAIR
            for alert in state["open"]:
                alert.update(closed_at=signed_at, closed_by_session_id=session_id)
            state["open"] = []
        risk = weighted(rng, [("none", 90), ("low", 8), ("moderate", 2)])
        note = {
            "starts_at": starts_at,
            "duration_minutes": 50,
            "modality": weighted(rng, [("in_person", 70), ("video", 25), ("phone", 5)]),
            "attendance": attendance,
            "note_format": "soap",
            "subjective": rng.choice(texts.SUBJECTIVE) if came else "",
            "objective": rng.choice(texts.OBJECTIVE) if came else "",
            "data": "",
            "assessment": rng.choice(texts.ASSESSMENT) if came else "Did not attend.",
            "plan": rng.choice(texts.PLAN) if came else "Offer another appointment.",
            "homework": rng.choice(texts.HOMEWORK) if came else "",
            "next_steps": rng.choice(texts.NEXT_STEPS),
            "risk_level": risk,
            "risk_plan": "" if risk == "none" else "Safety plan reviewed; crisis numbers given.",
            "communication": rng.sample([k for k, _ in COMMUNICATION], 2) if came else [],
            "patient_centred": rng.sample([k for k, _ in PATIENT_CENTRED], 2) if came else [],
            "repair": repair,
        }
        work = []
        if came and worked:
            for goal in rng.sample(worked, min(len(worked), rng.choice([1, 2]))):
                work.append(self._goal_work(session_id, goal, day, share, person, draft))
        error = signed_at is not None and rng.random() < 0.003
        cosigned = person.cosign and signed_at is not None and not recent
        load[s.Session].add(
            id=session_id,
            alliance_id=person.alliance_id,
            **note,
            signed_at=signed_at,
            signed_by_id=person.therapist_id if signed_at else None,
            signed_copy=None
            if draft
            else {**{k: _jsonable(note[k]) for k in NOTE_FIELDS}, "goal_work": work},
            cosign_required=person.cosign and signed_at is not None,
            created_by_id=person.therapist_id,
            created_at=starts_at,
            updated_at=signed_at or starts_at,
            revision=rng.randint(2, 4),
        )
        if error:
            load[s.ErrorMark].add(
                id=load[s.ErrorMark].next_id(), session_id=session_id,
                marked_by_id=person.therapist_id, created_at=signed_at, reason="Wrong patient.",
            )  # fmt: skip
        if cosigned:
            load[s.Cosignature].add(
                id=load[s.Cosignature].next_id(), session_id=session_id,
                supervisor_id=person.supervisor_id, created_at=signed_at, comment="",
            )  # fmt: skip
        if signed_at and rng.random() < 0.01:
            load[s.Addendum].add(
                id=load[s.Addendum].next_id(), session_id=session_id,
                author_id=person.therapist_id, created_at=signed_at, reason="Late information",
                text="The patient called afterwards to add that the week had been harder.",
            )  # fmt: skip
        if signed_at and rng.random() < 0.02:
            load[s.SupervisorComment].add(
                id=load[s.SupervisorComment].next_id(), session_id=session_id,
                author_id=person.supervisor_id, created_at=signed_at,
                text="Good use of the patient's own words in the plan.",
            )  # fmt: skip
        if came and rng.random() < 0.1:
            load[s.PsychotherapyNote].add(
                id=load[s.PsychotherapyNote].next_id(), session_id=session_id,
                author_id=person.therapist_id, text="My own reactions today: tired, impatient.",
            )  # fmt: skip
        if came and signed_at and not error:
            self._ratings(person, session_id, starts_at, base, state)
        return session_id if came else None

    def _goal_work(self, session_id, goal, day, share, person, draft) -> dict:
        table = self.load[s.SessionGoal]
        baseline, target = goal["baseline"], goal["target"]
        value = (baseline + (target - baseline) * Decimal(share)).quantize(Decimal("0.01"))
        gas_level = max(-2, min(2, round(-2 + 3 * share))) if goal["gas_0"] else None
        progress_id = None
        if not draft:
            progress_id = self._progress(
                goal, day, share, person, by=person.therapist_id, party="therapist"
            )
        table.add(
            id=table.next_id(),
            session_id=session_id,
            goal_id=goal["id"],
            value=value,
            gas_level=gas_level,
            comment="",
            progress_id=progress_id,
        )
        return {"goal": str(goal["id"]), "value": str(value), "gas_level": gas_level, "comment": ""}

    def _ratings(self, person, session_id, starts_at, base, state):
        rng, table = self.rng, self.load[s.AllianceRating]
        items = list(base)
        dip = rng.random() < 0.04
        if dip:
            items = [max(0, i - rng.randint(2, 3)) for i in items]
        elif rng.random() < 0.25:
            k = rng.randrange(4)
            items[k] = max(0, min(10, items[k] + rng.choice([-1, 1])))
        therapist_items = list(base) if dip and rng.random() < 0.5 else list(items)
        patient = rng.random() < 0.75
        therapist = rng.random() < 0.9
        at = starts_at + datetime.timedelta(hours=1)
        if patient:
            by = person.portal_user_id or person.therapist_id
            table.add(
                id=table.next_id(), session_id=session_id, rater="patient",
                **dict(zip(ITEMS, items, strict=True)), entered_by_id=by,
                in_patient_mode=person.portal_user_id is None, created_at=at,
            )  # fmt: skip
        if therapist:
            table.add(
                id=table.next_id(), session_id=session_id, rater="therapist",
                **dict(zip(ITEMS, therapist_items, strict=True)),
                entered_by_id=person.therapist_id, in_patient_mode=False, created_at=at,
            )  # fmt: skip
        if not patient:
            return
        total, previous = sum(items), state["previous"]
        clinic = person.clinic
        found = {
            "below_cutoff": total < clinic.alert_cutoff,
            "dropped": previous is not None and previous - total >= clinic.alert_drop,
            "gap": therapist and abs(sum(therapist_items) - total) >= clinic.alert_gap,
        }
        state["previous"] = total
        if not any(found.values()):
            return
        alert = {
            "id": self.load[s.AllianceAlert].next_id(),
            "alliance_id": person.alliance_id,
            "session_id": session_id,
            **found,
            "patient_total": total,
            "previous_total": previous,
            "therapist_total": sum(therapist_items) if therapist else None,
            "opened_at": at,
            "closed_at": None,
            "closed_by_session_id": None,
        }
        state["alerts"].append(alert)
        state["open"].append(alert)


def _jsonable(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return value
