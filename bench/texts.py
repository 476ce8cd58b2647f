"""Invented words for generated records: names, goals, notes. Never real people or cases."""

GIVEN = [
    "Aisha", "Ben", "Carys", "Daniel", "Eleni", "Farid", "Grace", "Hamza", "Isla", "Jonah",
    "Kemi", "Liam", "Maya", "Niall", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tara",
    "Uma", "Victor", "Wen", "Xavier", "Yasmin", "Zoe", "Arjun", "Bea", "Callum", "Dina",
]  # fmt: skip
FAMILY = [
    "Adams", "Begum", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal",
    "Jones", "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Quinn", "Roberts",
    "Singh", "Taylor", "Usman", "Vaughan", "Walsh", "Xu", "Young", "Zielinski", "Ahmed",
    "Brennan", "Chowdhury", "Doyle", "Ellis", "Fox", "Gill", "Hart", "Ito", "Jenkins",
]  # fmt: skip

GOALS = [
    ("Go to the shop on my own without a panic attack.", "Trips alone per week", 0, 3, "trips"),
    ("Sleep past five on most nights.", "Nights a week I sleep past 5am", 1, 5, "nights"),
    ("Drink on weekends only.", "Drinking days per week", 5, 2, "days"),
    ("Speak up once in each team meeting.", "Meetings where I spoke", 0, 4, "meetings"),
    ("Walk for twenty minutes most days.", "Days walked per week", 1, 5, "days"),
    ("Call my sister every week.", "Calls per week", 0, 1, "calls"),
    ("Cut time spent checking locks.", "Minutes checking per day", 60, 10, "minutes"),
    ("Eat three meals on most days.", "Days with three meals", 2, 6, "days"),
]
STEPS = "Practise the breathing exercise daily; start small; note each try in the diary."
RESOURCES = "A friend who can come along; the workbook; weekly sessions."
BARRIERS = "Bad days make it harder: on those, do the smallest step and count it."
RELEVANCE = "I want my week to feel like mine again."
GAS = [
    "Much less than expected",
    "Somewhat less than expected",
    "The expected outcome",
    "Somewhat more than expected",
    "Much more than expected",
]

SUBJECTIVE = [
    "Reports a steadier week; slept better after keeping the same bedtime. Worried about a "
    "family visit at the weekend and the arguments it usually brings.",
    "Describes feeling flat since Tuesday, less motivated to go out. Managed two short walks "
    "and one phone call with a friend, which helped for the evening.",
    "Says the exposure steps felt too fast; went to the shop once with support and left "
    "early. Wants to go back to the previous step for a week.",
    "Pleased to have spoken in the team meeting twice. Noticed the urge to check the door "
    "less often in the mornings, more in the evenings.",
]
OBJECTIVE = [
    "Engaged and on time; eye contact good; speech normal in rate and volume. Completed the "
    "diary for five of seven days.",
    "Appeared tired, slower to answer; affect restricted but reactive. Diary partly done.",
    "Calm at the start, tearful when discussing work; settled with grounding. Homework done.",
]
ASSESSMENT = [
    "Gradual progress on the agreed goals; avoidance reducing. The alliance feels solid: "
    "patient brought their own agenda and disagreed openly about pacing, which we used.",
    "Low mood this week is linked to the anniversary; no change in risk. Goals remain "
    "relevant; pace to be reviewed together next time.",
    "Good use of the skills between sessions; checking reduced by about a third. Patient "
    "rated the session well and said the plan fits.",
]
PLAN = [
    "Continue graded exposure at the agreed step; repeat the breathing practice daily; "
    "review the diary together next session.",
    "Return to the previous step for one week; add a pleasant activity each day; check in "
    "on sleep and mood next time.",
    "Keep the current plan; introduce the worry-time exercise; review goals at the next "
    "scheduled review.",
]
HOMEWORK = ["Diary every evening.", "Two short walks.", "Worry time at 6pm.", "One phone call."]
NEXT_STEPS = ["Same time next week.", "Review goals next session.", "Letter to GP if needed."]
REPAIR = (
    "We talked about last session feeling rushed; agreed to start with the patient's agenda "
    "and to check the pace halfway through."
)
QUESTIONS = [
    "Whether to add medication from the GP alongside therapy",
    "Whether to go back to work part-time now or after the summer",
    "Which exposure step to take first",
    "Whether to bring a family member to a session",
    "Whether to move to fortnightly sessions",
]
OPTIONS = [
    ("Start now", "Begin this month, with a check-in after two weeks."),
    ("Wait a month", "Take a month to see how the current plan goes, then decide."),
    ("A smaller step", "Try a smaller version first and build up."),
]
PREFERENCES = [
    "Not feeling rushed into it",
    "Being able to look after the children",
    "Keeping side effects low",
    "Getting back to normal soon",
]
