"""A patient's decision talks in the three-talk model, as the app would have written them:
checklists, options, preferences, the decision or a deferral, reviews, sessions discussing them.
"""

import datetime

from bench import texts
from decisions import models as d
from decisions.steps import ALL_STEPS, Stage
from sessions_log import models as s

TALK_STAGES = [
    (Stage.REVIEW, 35),
    (Stage.CLOSED, 20),
    (Stage.DEFERRED, 10),
    (Stage.CHOICE, 15),
    (Stage.OPTION, 10),
    (Stage.DECISION, 10),
]
STAGE_ORDER = [Stage.CHOICE, Stage.OPTION, Stage.DECISION]


class TalkRecords:
    """Mixed into bench.records.Records (its loader, random source, dates and helpers)."""

    def talks(self, person, goals: list[dict], attended: list[tuple], count: int):
        rng, load = self.rng, self.load
        for number in range(count):
            stage = self.weighted(TALK_STAGES)
            talk_id = self.new_uuid()
            span = max((self.today - person.started_on).days, 1)
            created = person.started_on + datetime.timedelta(days=rng.randrange(span))
            due_on = None
            if stage == Stage.REVIEW:
                due_on = self.today + datetime.timedelta(days=rng.randint(-10, 60))
            elif stage == Stage.DEFERRED:
                due_on = self.today + datetime.timedelta(days=rng.randint(-10, 30))
            load[d.DecisionTalk].add(
                id=talk_id, alliance_id=person.alliance_id,
                question=texts.QUESTIONS[(number + rng.randrange(5)) % len(texts.QUESTIONS)],
                stage=stage, due_on=due_on, created_by_id=person.therapist_id,
                created_at=self._at(created), stage_changed_at=self._at(created, 12),
            )  # fmt: skip
            reached = STAGE_ORDER.index(stage) if stage in STAGE_ORDER else 3
            for position, (step_stage, step) in enumerate(ALL_STEPS):
                done = STAGE_ORDER.index(step_stage) < reached
                load[d.StepCheck].add(
                    id=load[d.StepCheck].next_id(), talk_id=talk_id, stage=step_stage,
                    key=step.key, position=position, done=done,
                    done_on=created if done else None, note="", skipped=False,
                    updated_by_id=person.therapist_id if done else None,
                    updated_at=self._at(created),
                )  # fmt: skip
            options = []
            for position in range(3):
                option_id = self.new_uuid()
                title, text = (
                    (d.NO_CHANGE_TITLE, d.NO_CHANGE_DESCRIPTION)
                    if position == 0
                    else texts.OPTIONS[position]
                )
                load[d.Option].add(
                    id=option_id, talk_id=talk_id, position=position, title=title,
                    description=text, benefits="Fits the week as it is.",
                    drawbacks="May take longer.", is_no_change=position == 0,
                    appeal=rng.randint(2, 9) if reached >= 1 else None,
                    patient_words="I could manage that." if reached >= 1 else "",
                    created_at=self._at(created), updated_at=self._at(created),
                )  # fmt: skip
                options.append(option_id)
            for position, text in enumerate(rng.sample(texts.PREFERENCES, 2), start=1):
                load[d.Preference].add(
                    id=load[d.Preference].next_id(), talk_id=talk_id, position=position,
                    text=text, created_by_id=person.therapist_id, created_at=self._at(created),
                )  # fmt: skip
            if stage in (Stage.REVIEW, Stage.CLOSED):
                self._decision(person, talk_id, options, goals, created, due_on, stage)
            if stage == Stage.DEFERRED:
                load[d.Deferral].add(
                    id=load[d.Deferral].next_id(), talk_id=talk_id, from_stage=Stage.OPTION,
                    reason="Wants to talk it over at home first.", come_back_on=due_on,
                    deferred_on=created, deferred_by_id=person.therapist_id,
                    created_at=self._at(created),
                )  # fmt: skip
            for session_id, _ in rng.sample(attended, min(len(attended), rng.choice([1, 2]))):
                through = s.Session.decisions.through
                load[through].add(
                    id=load[through].next_id(), session_id=session_id, decisiontalk_id=talk_id
                )

    def _decision(self, person, talk_id, options, goals, created, due_on, stage):
        load, rng = self.load, self.rng
        decided = created + datetime.timedelta(days=14)
        decision_id = load[d.Decision].next_id()
        load[d.Decision].add(
            id=decision_id, talk_id=talk_id, chosen_option_id=options[rng.choice([1, 2])],
            decided_by=rng.choice(["patient", "shared", "shared"]),
            reason="It fits what matters most to me right now.",
            review_on=due_on or decided + datetime.timedelta(days=56),
            recorded_by_id=person.therapist_id, recorded_at=self._at(decided), decided_on=decided,
        )  # fmt: skip
        if goals and rng.random() < 0.5:
            through = d.Decision.goals.through
            load[through].add(
                id=load[through].next_id(), decision_id=decision_id, goal_id=goals[0]["id"]
            )
        if stage == Stage.CLOSED:
            load[d.DecisionReview].add(
                id=load[d.DecisionReview].next_id(), talk_id=talk_id, decision_id=decision_id,
                reviewed_on=decided + datetime.timedelta(days=56), outcome="fits",
                note="Still the right choice.", next_review_on=None,
                reviewed_by_id=person.therapist_id, created_at=self._at(decided),
            )  # fmt: skip
