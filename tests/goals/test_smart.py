"""The SMART check: the five parts, the target date, the direction, the attainment levels."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from goals import services
from goals.models import Goal, GoalVersion
from goals.smart import missing_parts, wording_errors
from tests.goals.factories import gas_levels, smart_wording

DAY = datetime.timedelta(days=1)
TODAY = datetime.date(2026, 3, 10)


def letters(wording: dict) -> str:
    return "".join(part.letter for part in missing_parts(wording))


def test_a_complete_wording_misses_no_part():
    assert missing_parts(smart_wording(TODAY)) == []


def test_an_empty_wording_misses_all_five_parts():
    assert letters({}) == "SMART"


@pytest.mark.parametrize(
    ("field", "empty", "letter"),
    [
        ("description", "", "S"),
        ("measure", "", "M"),
        ("baseline", None, "M"),
        ("target", None, "M"),
        ("unit", " ", "M"),
        ("steps", "", "A"),
        ("resources", "", "A"),
        ("barriers", "\n", "A"),
        ("relevance", "", "R"),
        ("target_date", None, "T"),
        ("review_interval_days", None, "T"),
    ],
)
def test_each_empty_field_names_its_part(field, empty, letter):
    assert letters(smart_wording(TODAY, **{field: empty})) == letter


def test_a_baseline_of_zero_is_a_baseline():
    assert letters(smart_wording(TODAY, baseline=Decimal("0"))) == ""


def test_each_part_says_what_is_missing_in_plain_words():
    (part,) = missing_parts(smart_wording(TODAY, steps=""))

    assert part.name == "Attainable"
    assert "steps" in part.missing
    assert part.guidance and part.example


@pytest.mark.parametrize(
    ("target_date", "ok"),
    [(TODAY - DAY, False), (TODAY, False), (TODAY + DAY, True)],
)
def test_the_target_date_is_after_today(target_date, ok):
    errors = wording_errors(smart_wording(TODAY, target_date=target_date), today=TODAY)

    assert ("target_date" not in errors) is ok


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "ok"),
    [
        ("increase", "0", "3", True),
        ("increase", "3", "3", False),
        ("increase", "3", "1", False),
        ("decrease", "6", "2", True),
        ("decrease", "6", "6", False),
        ("decrease", "2", "6", False),
    ],
)
def test_the_target_differs_from_the_baseline_in_the_stated_direction(
    direction, baseline, target, ok
):
    wording = smart_wording(
        TODAY, direction=direction, baseline=Decimal(baseline), target=Decimal(target)
    )

    assert ("target" not in wording_errors(wording, today=TODAY)) is ok


def test_the_direction_is_only_checked_once_both_numbers_are_given():
    assert wording_errors(smart_wording(TODAY, baseline=None, target=Decimal(1)), today=TODAY) == {}


def test_attainment_levels_are_all_five_or_none():
    five = smart_wording(TODAY, **gas_levels())
    four = smart_wording(TODAY, **(gas_levels() | {"gas_plus_2": "  "}))

    assert wording_errors(smart_wording(TODAY), today=TODAY) == {}
    assert wording_errors(five, today=TODAY) == {}
    assert "gas_0" in wording_errors(four, today=TODAY)


# The same rules through the services, on the clinic's calendar.


def test_a_target_date_of_today_is_refused_even_for_a_draft(alliance, therapist, today):
    with pytest.raises(ValidationError) as error:
        services.goal_create(
            alliance=alliance,
            by=therapist,
            party="therapist",
            wording={"description": "Sleep better", "target_date": today},
        )

    assert "target_date" in error.value.message_dict
    assert not Goal.objects.exists()


def test_a_target_in_the_wrong_direction_is_refused(alliance, therapist, today):
    wording = smart_wording(today, direction="decrease", baseline=Decimal(2), target=Decimal(5))

    with pytest.raises(ValidationError) as error:
        services.goal_create(
            alliance=alliance, by=therapist, party="therapist", wording=wording, propose=True
        )

    assert "Lower is better" in error.value.message_dict["target"][0]
    assert not Goal.objects.exists()


def test_some_attainment_levels_without_the_others_are_refused(alliance, therapist, today):
    wording = smart_wording(today, gas_0="Three trips alone a week")

    with pytest.raises(ValidationError) as error:
        services.goal_create(alliance=alliance, by=therapist, party="therapist", wording=wording)

    assert "gas_0" in error.value.message_dict
    assert not Goal.objects.exists()


def test_a_new_wording_is_checked_too(active_goal, therapist, today):
    with pytest.raises(ValidationError) as error:
        services.goal_update(
            goal=active_goal,
            by=therapist,
            party="therapist",
            wording={"target": Decimal("-1"), "target_date": today},
            expected_revision=active_goal.revision,
            reason="Shorter",
        )

    assert set(error.value.message_dict) >= {"target", "target_date"}
    active_goal.refresh_from_db()
    assert (active_goal.target, active_goal.version) == (3, 1)
    assert GoalVersion.objects.count() == 1


def test_today_is_the_clinics_today(monkeypatch, alliance, therapist):
    # 20:00 in London on 10 March is 09:00 on 11 March in Auckland (NZDT, UTC+13).
    monkeypatch.setattr(
        "django.utils.timezone.now",
        lambda: datetime.datetime(2026, 3, 10, 20, 0, tzinfo=datetime.UTC),
    )
    alliance.clinic.time_zone = "Pacific/Auckland"
    alliance.clinic.save()
    assert alliance.clinic.today() == datetime.date(2026, 3, 11)

    with pytest.raises(ValidationError):
        services.goal_create(
            alliance=alliance,
            by=therapist,
            party="therapist",
            wording=smart_wording(
                datetime.date(2026, 3, 10), target_date=datetime.date(2026, 3, 11)
            ),
        )
    services.goal_create(
        alliance=alliance,
        by=therapist,
        party="therapist",
        wording=smart_wording(datetime.date(2026, 3, 10), target_date=datetime.date(2026, 3, 12)),
    )
    assert Goal.objects.count() == 1
