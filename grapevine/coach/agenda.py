"""The daily agenda: next actions derived from the stored state by the rules of DESIGN.md.

Nothing here is stored. ``agenda_for(owner, now)`` reads the contact book, the
journal and the meetings in a fixed number of queries (aggregates, never a
query per person) and returns the actions due overdue / today / this week,
each with its rule id, a one-line reason and a stable key. Only the user's
decisions are rows (coach.models): snoozes, dismissals and hand-made to-dos.

"Now" is a parameter so that any day can be replayed (``grapevine today
--date``): every read is limited to what had happened by then.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    OuterRef,
    Q,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.coach.calendar import (
    BusinessCalendar,
    calendar_for,
    end_of_day,
    local_date,
    start_of_day,
    user_zone,
)
from grapevine.coach.models import CoachSettings, Todo
from grapevine.coach.selectors import (
    _aware,
    hidden_action_keys,
    journal_tables,
    keep_in_touch_candidates,
    never_in_touch_candidates,
    settings_for,
)
from grapevine.contacts.models import Closeness, ContactList, Person, Referral, Seniority
from grapevine.journal.models import Entry, Kind
from grapevine.meetings.models import Meeting, Promise

#: How far back the rules look for meetings, referrals and help that still need an action.
#: Older ones are history: a thank-you a month late is better left unsaid.
LOOKBACK_DAYS = 30
#: Requests older than this are not chased any more (R15 lets go after the follow-up).
REQUEST_LOOKBACK_DAYS = 45
#: Before anything in the journal (a NULL "latest contact" compares as this).
NEVER = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
#: "This week": actions due within this many days are shown ahead.
WEEK_AHEAD_DAYS = 7
#: At most this many people are suggested at once to start with (R3).
R3_SUGGESTIONS = 3
SENIOR = [
    s.value for s in (Seniority.SENIOR, Seniority.MANAGER, Seniority.DIRECTOR, Seniority.EXECUTIVE)
]

# Most important first (ties broken by due date): promises and thank-yous are owed to people.
PRIORITY = {
    "R11": 10,
    "promise": 15,
    "R15": 20,
    "R12": 30,
    "todo": 35,
    "R13": 40,
    "R10": 45,
    "R3": 50,
    "R19": 55,
    "R14": 60,
    "R17": 70,
}

PersonThrough = Entry.people.through


@dataclass
class Action:
    rule: str  # the rule id in DESIGN.md ("R11"), or "todo" / "promise"
    key: str  # stable id: what a snooze or a dismissal refers to
    reason: str  # one line a person understands
    due: dt.date
    person_name: str = ""
    person_id: uuid.UUID | None = None
    organisation_name: str = ""
    meeting_id: uuid.UUID | None = None
    deadline: dt.datetime | None = None  # a precise time after which it is overdue (R11)
    # The one-click ways to act: the message to draft (messaging DraftKind), the journal
    # kind that "done" records (empty: done simply dismisses it), and whom it names.
    draft_kind: str = ""
    done_kind: str = ""
    done_person_id: uuid.UUID | None = None
    todo_id: uuid.UUID | None = None
    promise_id: uuid.UUID | None = None
    overdue: bool = False

    @property
    def priority(self) -> int:
        return PRIORITY.get(self.rule, 99)

    @property
    def rule_label(self) -> str:
        return {"todo": "To-do", "promise": "Promise"}.get(self.rule, self.rule)

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "reason": self.reason,
            "due": self.due.isoformat(),
            "overdue": self.overdue,
            "person": self.person_name or None,
            "person_id": str(self.person_id) if self.person_id else None,
            "organisation": self.organisation_name or None,
            "meeting_id": str(self.meeting_id) if self.meeting_id else None,
            "id": self.key,
        }


@dataclass(frozen=True)
class Who:
    """A person as the rules name them (plain values, not a model instance)."""

    pk: int
    public_id: uuid.UUID
    full_name: str
    given_name: str


@dataclass(frozen=True)
class Held:
    """A meeting held in the look-back window, with what R10, R11 and R12 read of it."""

    public_id: uuid.UUID
    held_at: dt.datetime
    person: Who
    organisation_name: str
    referral_id: int | None
    reported_back_at: dt.datetime | None
    referrer: Who | None
    n_referrals: int

    @property
    def person_id(self) -> int:
        return self.person.pk


@dataclass
class Goal:
    """R17: a weekly goal and the progress this week."""

    rule: str
    label: str
    done: int
    target: int

    @property
    def percent(self) -> int:
        return 100 if self.target <= 0 else min(100, round(100 * self.done / self.target))

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "label": self.label, "done": self.done, "target": self.target}


@dataclass
class Agenda:
    today: dt.date
    now: dt.datetime
    actions: list[Action] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    landed: bool = False
    #: R14 found more people due than it suggests a day (``keep_in_touch_per_day``).
    keep_in_touch_waiting: bool = False
    keep_in_touch_per_day: int = 0

    @property
    def overdue(self) -> list[Action]:
        return [a for a in self.actions if a.overdue]

    @property
    def due_today(self) -> list[Action]:
        return [a for a in self.actions if not a.overdue and a.due <= self.today]

    @property
    def this_week(self) -> list[Action]:
        return [a for a in self.actions if not a.overdue and a.due > self.today]

    @property
    def due_now(self) -> list[Action]:
        """What the digest e-mail lists: overdue and today."""
        return [a for a in self.actions if a.overdue or a.due <= self.today]

    def find(self, key: str) -> Action | None:
        return next((a for a in self.actions if a.key == key), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.today.isoformat(),
            "landed": self.landed,
            "actions": [a.as_json() for a in self.actions],
            "goals": [g.as_json() for g in self.goals],
            "keep_in_touch_waiting": self.keep_in_touch_waiting,
        }


def _first_name(person: Person | Who | None, full_name: str = "") -> str:
    if person is not None:
        return person.given_name or person.full_name
    return full_name.split(" ")[0] if full_name else ""


@lru_cache(maxsize=1024)
def _day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


class AgendaBuilder:
    """Reads the state once and applies each rule to it."""

    def __init__(self, owner: User, now: dt.datetime, settings: CoachSettings) -> None:
        self.owner = owner
        self.zone = user_zone(owner)
        self.now = now
        self.today = local_date(now, self.zone)
        self.settings = settings
        self.calendar: BusinessCalendar = calendar_for(owner)
        self.since = now - dt.timedelta(days=LOOKBACK_DAYS)
        self._held: list[Held] | None = None
        self._open: list[Meeting] | None = None
        self.r14_waiting = False

    def local(self, moment: dt.datetime) -> dt.date:
        return local_date(moment, self.zone)

    # -- shared reads ------------------------------------------------------------------

    def latest_contacts(
        self, person_ids: Iterable[int], **kind_sets: Iterable[str] | None
    ) -> dict[int, dict[str, dt.datetime | None]]:
        """For each of these people, the latest journal entry (up to now) of each set of
        kinds: ``latest_contacts(ids, thanked=[Kind.THANK_YOU], any=None)``. One query.

        The database is given only the list of people as a condition, so it reads their
        links by index and each entry by primary key; the kinds, the owner and the time
        go into the aggregates. With them in the WHERE clause SQLite plans from the
        ``kind`` or ``owner`` index instead and reads every such entry — a hundred times
        slower at 100,000 entries.
        """
        ids = list(set(person_ids))
        if not ids:
            return {}
        # Written out as SQL (a CASE in each MAX, which is what FILTER means): the ORM
        # took longer to build this query than the database to answer it.
        ops = connection.ops
        columns = []
        params: list[Any] = []
        for kinds in kind_sets.values():
            kind_list = list(kinds) if kinds is not None else None
            if kind_list is None:
                in_kinds = ""
            elif kind_list:
                in_kinds = f" AND e.kind IN ({', '.join(['%s'] * len(kind_list))})"
            else:
                in_kinds = " AND 1 = 0"  # no kinds: never (as ``kind__in=[]``)
            columns.append(
                f"MAX(CASE WHEN e.owner_id = %s AND e.occurred_at <= %s{in_kinds} "
                "THEN e.occurred_at END)"
            )
            params += [self.owner.pk, ops.adapt_datetimefield_value(self.now)]
            params += [str(kind) for kind in kind_list or []]
        entry, link, _ = journal_tables()
        sql = (
            f"SELECT ep.person_id, {', '.join(columns)} FROM {link} ep "  # noqa: S608
            f"JOIN {entry} e ON e.id = ep.entry_id "
            f"WHERE ep.person_id IN ({', '.join(['%s'] * len(ids))}) GROUP BY ep.person_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *ids])
            rows = cursor.fetchall()
        names = list(kind_sets)
        return {
            row[0]: {
                name: None if value is None else _aware(value)
                for name, value in zip(names, row[1:], strict=True)
            }
            for row in rows
        }

    def latest_entry_with(
        self,
        model: type[Any],
        column: str,
        kinds: Iterable[str] | None = None,
        since: dt.datetime | None = None,
        since_column: tuple[type[Any], str] | None = None,
    ) -> RawSQL:
        """A correlated subquery: the latest time (up to now, and since ``since``, or since
        the outer row's ``since_column``: (model, column)) that an entry of these kinds
        named the person in the outer query's ``model.column``; NULL when there is none.
        The outer tables are named by their table names: the query's base table and the
        first join of a table, which is how the ORM names them.

        As in ``latest_contacts``, the only WHERE condition is the person (read by the
        ``journal_entry_people (person_id, entry_id)`` index, then each entry by primary
        key); owner, kinds and time are in the aggregate, where SQLite cannot pick the
        kind or time index to drive the subquery (that plan reads a whole time window of
        the journal for every outer row: seconds at 100,000 entries). Written out as SQL:
        as ORM expressions it took longer to build than to run.
        """
        ops = connection.ops

        def outer(of: type[Any], name: str) -> str:
            return f"{ops.quote_name(of._meta.db_table)}.{ops.quote_name(name)}"

        condition = "le.owner_id = %s AND le.occurred_at <= %s"
        params: list[Any] = [self.owner.pk, ops.adapt_datetimefield_value(self.now)]
        if kinds is not None:
            kind_list = [str(kind) for kind in kinds]
            if kind_list:
                condition += f" AND le.kind IN ({', '.join(['%s'] * len(kind_list))})"
                params += kind_list
            else:
                condition += " AND 1 = 0"
        if since is not None:
            condition += " AND le.occurred_at >= %s"
            params.append(ops.adapt_datetimefield_value(since))
        if since_column is not None:
            condition += f" AND le.occurred_at >= {outer(*since_column)}"
        entry, link, _ = journal_tables()
        return RawSQL(  # noqa: S611 (names from _meta, values are parameters)
            f"SELECT MAX(CASE WHEN {condition} THEN le.occurred_at END) "  # noqa: S608
            f"FROM {link} ll JOIN {entry} le ON le.id = ll.entry_id "
            f"WHERE ll.person_id = {outer(model, column)}",
            params,
            output_field=DateTimeField(),
        )

    def people_contact_times(
        self, person_ids: Iterable[int], kinds: Iterable[str], since: dt.datetime
    ) -> dict[int, list[dt.datetime]]:
        """The latest time (in a one-item list) each of these people appeared in a journal
        entry of these kinds, when that was since ``since``; others are left out."""
        found: dict[int, list[dt.datetime]] = {}
        for person_id, latest in self.latest_contacts(person_ids, last=kinds).items():
            when = latest["last"]
            if when is not None and when >= since:
                found[person_id] = [when]
        return found

    def held_meetings(self) -> list[Held]:
        """Meetings held in the look-back window, oldest first, as plain values (R10-R12)."""
        if self._held is None:
            rows: Any = (
                Meeting.objects.filter(
                    owner=self.owner, held_at__gte=self.since, held_at__lte=self.now
                )
                .order_by("held_at", "id")
                .values_list(
                    "public_id",
                    "held_at",
                    "person_id",
                    "person__public_id",
                    "person__full_name",
                    "person__given_name",
                    "organisation__name",
                    "referral_id",
                    "referral__reported_back_at",
                    "referral__referrer_id",
                    "referral__referrer__public_id",
                    "referral__referrer__full_name",
                    "referral__referrer__given_name",
                )
                .annotate(n_referrals=Count("produced"))
            )
            self._held = [
                Held(
                    public_id=public_id,
                    held_at=held_at,
                    person=Who(person_id, person_public_id, full_name, given_name),
                    organisation_name=organisation_name or "",
                    referral_id=referral_id,
                    reported_back_at=reported_back_at,
                    referrer=(
                        Who(referrer_id, referrer_public_id, referrer_name, referrer_given)
                        if referral_id and referrer_id
                        else None
                    ),
                    n_referrals=n_referrals,
                )
                for (
                    public_id,
                    held_at,
                    person_id,
                    person_public_id,
                    full_name,
                    given_name,
                    organisation_name,
                    referral_id,
                    reported_back_at,
                    referrer_id,
                    referrer_public_id,
                    referrer_name,
                    referrer_given,
                    n_referrals,
                ) in rows
            ]
        return self._held

    # -- the rules -----------------------------------------------------------------------

    def rule_r11_thank_you(self) -> list[Action]:
        """R11: a held meeting without a thank-you — due that day, overdue after 24 hours."""
        held = self.held_meetings()
        if not held:
            return []
        thanked = self.people_contact_times(
            (m.person_id for m in held), [Kind.THANK_YOU], min(m.held_at for m in held)
        )
        hours = self.settings.thank_you_hours
        actions = []
        for meeting in held:
            if any(t >= meeting.held_at for t in thanked.get(meeting.person_id, [])):
                continue
            person = meeting.person
            held_on = self.local(meeting.held_at)
            when = "today" if held_on == self.today else f"on {_day(held_on)}"
            actions.append(
                Action(
                    rule="R11",
                    key=f"R11:{meeting.public_id}",
                    reason=(
                        f"You met {person.full_name} {when}; thank {_first_name(person)} within "
                        f"{hours} hours, naming what you discussed and what you will act on (R11)."
                    ),
                    due=held_on,
                    deadline=meeting.held_at + dt.timedelta(hours=hours),
                    person_name=person.full_name,
                    person_id=person.public_id,
                    organisation_name=meeting.organisation_name,
                    meeting_id=meeting.public_id,
                    draft_kind="thank_you",
                    done_kind=Kind.THANK_YOU,
                    done_person_id=person.public_id,
                )
            )
        return actions

    def rule_r10_referrals(self) -> list[Action]:
        """R10: a held meeting with fewer than two referrals — ask again."""
        wanted = self.settings.referrals_per_meeting
        actions = []
        for meeting in self.held_meetings():
            got = meeting.n_referrals
            if got >= wanted:
                continue
            person = meeting.person
            first = _first_name(person)
            actions.append(
                Action(
                    rule="R10",
                    key=f"R10:{meeting.public_id}",
                    reason=(
                        f"{person.full_name} gave you {got} of {wanted} names: ask {first} again "
                        f"in your thank-you or a follow-up — who else should you talk to? (R10)"
                    ),
                    due=self.local(meeting.held_at) + dt.timedelta(days=1),
                    person_name=person.full_name,
                    person_id=person.public_id,
                    meeting_id=meeting.public_id,
                    draft_kind="thank_you",
                )
            )
        return actions

    def rule_r12_report_back(self) -> list[Action]:
        """R12: after meeting someone you were referred to, report back to the referrer —
        and again when something comes of it: meeting someone *they* led you to, one
        step further down the chain, is news for whoever introduced you to them."""
        pending = [m for m in self.held_meetings() if m.referrer is not None]
        if not pending:
            return []
        referrer_ids = {m.referrer.pk for m in pending if m.referrer is not None}
        # Who introduced you to each referrer (the chain one step up), in one query.
        introduced_by: dict[int, list[Person]] = defaultdict(list)
        for earlier in Referral.objects.filter(
            owner=self.owner, referred_id__in=referrer_ids, referred_on__lte=self.today
        ).select_related("referrer"):
            introduced_by[earlier.referred_id].append(earlier.referrer)
        everyone = referrer_ids | {p.pk for people in introduced_by.values() for p in people}
        reported = self.people_contact_times(
            everyone, [Kind.REPORT_BACK], min(m.held_at for m in pending)
        )
        actions = []
        for meeting in pending:
            referrer = meeting.referrer
            assert referrer is not None
            told = (
                meeting.reported_back_at is not None
                and meeting.held_at <= meeting.reported_back_at <= self.now
            ) or any(t >= meeting.held_at for t in reported.get(referrer.pk, []))
            if not told:
                actions.append(
                    Action(
                        rule="R12",
                        key=f"R12-report:{meeting.public_id}",
                        reason=(
                            f"You met {meeting.person.full_name}, whom {referrer.full_name} "
                            f"suggested: tell {_first_name(referrer)} how it went and thank them (R12)."
                        ),
                        due=self.local(meeting.held_at) + dt.timedelta(days=1),
                        person_name=referrer.full_name,
                        person_id=referrer.public_id,
                        meeting_id=meeting.public_id,
                        draft_kind="report_back",
                        done_kind=Kind.REPORT_BACK,
                        done_person_id=referrer.public_id,
                    )
                )
            for first in introduced_by.get(referrer.pk, []):
                if first.pk in (meeting.person_id, referrer.pk):
                    continue
                if any(t >= meeting.held_at for t in reported.get(first.pk, [])):
                    continue
                actions.append(
                    Action(
                        rule="R12",
                        key=f"R12-again:{meeting.public_id}:{first.public_id}",
                        reason=(
                            f"Something came of {first.full_name}'s introduction: "
                            f"{referrer.full_name} led you to {meeting.person.full_name}, whom you "
                            f"have now met — tell {_first_name(first)} (R12)."
                        ),
                        due=self.local(meeting.held_at) + dt.timedelta(days=2),
                        person_name=first.full_name,
                        person_id=first.public_id,
                        meeting_id=meeting.public_id,
                        draft_kind="keep_in_touch",
                        done_kind=Kind.REPORT_BACK,
                        done_person_id=first.public_id,
                    )
                )
        return actions

    def rule_r12_leads(self) -> list[Action]:
        """R12: follow every lead — a referral not contacted within 7 days is an action."""
        days = self.settings.lead_follow_up_days
        first_day = self.today - dt.timedelta(days=LOOKBACK_DAYS + days)
        # One query: the recent referrals of people not yet asked for a meeting, each with
        # the latest message / call / meeting with the referred person since the window
        # began (plain values, not model instances: there can be hundreds of them).
        asked = Meeting.objects.filter(
            person_id=OuterRef("referred_id"), requested_at__lte=self.now
        )
        # The start of the referral's local day, for each day of the window (a CASE: the
        # user's midnight is not the database's). Written out as SQL: as ORM expressions,
        # the 38 branches cost more to compile than the query takes to run.
        ops = connection.ops
        window = [
            first_day + dt.timedelta(days=n) for n in range((self.today - first_day).days + 1)
        ]
        column = f"{ops.quote_name(Referral._meta.db_table)}.{ops.quote_name('referred_on')}"
        day_start = RawSQL(  # noqa: S611 (names from _meta, values are parameters)
            f"CASE {column} {' '.join(['WHEN %s THEN %s'] * len(window))} END",
            [
                value
                for day in window
                for value in (
                    ops.adapt_datefield_value(day),
                    ops.adapt_datetimefield_value(start_of_day(day, self.zone)),
                )
            ],
            output_field=DateTimeField(),
        )
        referrals = (
            Referral.objects.filter(
                owner=self.owner, referred_on__gte=first_day, referred_on__lte=self.today
            )
            .exclude(Exists(asked))
            # Only the leads not followed: no message / call / meeting naming the person
            # since the day of the referral (filtered in SQL: hundreds can be followed).
            .alias(
                contacted=Coalesce(
                    self.latest_entry_with(
                        Referral,
                        "referred_id",
                        [Kind.MESSAGE_SENT, Kind.CALL, Kind.MEETING, Kind.MESSAGE_RECEIVED],
                        since=start_of_day(first_day, self.zone),
                    ),
                    Value(NEVER),
                )
            )
            .filter(contacted__lt=day_start)
            .order_by("referred_on", "id")
            .values_list(
                "public_id",
                "referred_on",
                "referred__public_id",
                "referred__full_name",
                "referred__organisation__name",
                "referrer__full_name",
                "referrer__given_name",
            )
        )
        actions = []
        for (
            public_id,
            referred_on,
            referred_public_id,
            referred_name,
            organisation_name,
            referrer_name,
            referrer_given_name,
        ) in referrals:
            due = referred_on + dt.timedelta(days=days)
            at = f" at {organisation_name}" if organisation_name else ""
            first = referrer_given_name or referrer_name
            actions.append(
                Action(
                    rule="R12",
                    key=f"R12-lead:{public_id}",
                    reason=(
                        f"Follow the lead {referrer_name} gave you: write to "
                        f"{referred_name}{at}, naming {first} first (R12, R7) — by {_day(due)}."
                    ),
                    due=due,
                    person_name=referred_name,
                    person_id=referred_public_id,
                    organisation_name=organisation_name or "",
                    draft_kind="request_warm",
                    done_kind=Kind.MESSAGE_SENT,
                    done_person_id=referred_public_id,
                )
            )
        return actions

    def open_requests(self) -> list[Meeting]:
        """Requests with no answer by now: not scheduled, held, declined, closed, nor replied to."""
        if self._open is not None:
            return self._open
        answered = (
            Q(scheduled_at__lte=self.now)
            | Q(held_at__lte=self.now)
            | Q(declined_at__lte=self.now)
            | Q(no_answer_at__lte=self.now)
            | Q(cancelled_at__lte=self.now)
        )
        meetings = list(
            Meeting.objects.filter(
                owner=self.owner,
                requested_at__lte=self.now,
                requested_at__gte=self.now - dt.timedelta(days=REQUEST_LOOKBACK_DAYS),
            )
            .exclude(answered)
            .select_related("person", "organisation")
            # Only what the rules read: a meeting row has nine dates to convert otherwise.
            .only(
                "public_id",
                "person_id",
                "organisation_id",
                "requested_at",
                "person__public_id",
                "person__full_name",
                "person__given_name",
                "person__contact_list",
                "person__seniority",
                "person__is_decision_maker",
                "organisation__name",
            )
            .order_by("requested_at")
        )
        self._open = meetings
        return meetings

    def rule_r15_3b7(self) -> list[Action]:
        """R15 (3B7): no answer after 3 business days → a second person at that organisation;
        after 7 → one follow-up to the first; then let it go."""
        meetings = self.open_requests()
        if not meetings:
            return []
        since = min(m.requested_at for m in meetings)
        latest = self.latest_contacts(
            (m.person_id for m in meetings),
            answer=[Kind.MESSAGE_RECEIVED],
            sent=[Kind.MESSAGE_SENT, Kind.CALL],
        )

        org_ids = {m.organisation_id for m in meetings if m.organisation_id}
        # Who else was approached at those organisations since (meetings or messages).
        approached: dict[int, list[tuple[int, dt.datetime]]] = defaultdict(list)
        candidates: dict[int, tuple[str, uuid.UUID]] = {}
        if org_ids:
            for org_id, person_id, at in Meeting.objects.filter(
                owner=self.owner,
                organisation_id__in=org_ids,
                requested_at__gte=since,
                requested_at__lte=self.now,
            ).values_list("organisation_id", "person_id", "requested_at"):
                approached[org_id].append((person_id, at))
            for org_id, person_id, at in PersonThrough.objects.filter(
                entry__owner=self.owner,
                entry__kind__in=[Kind.MESSAGE_SENT, Kind.CALL],
                entry__organisation_id__in=org_ids,
                entry__occurred_at__gte=since,
                entry__occurred_at__lte=self.now,
            ).values_list("entry__organisation_id", "person_id", "entry__occurred_at"):
                approached[org_id].append((person_id, at))
            # One candidate per organisation (a window function: one query): someone other
            # than the people already asked, not the most senior (R3), people you know
            # (list B, then A) before strangers (C), then by name.
            asked_ids = {m.person_id for m in meetings}
            # The organisations are the owner's, so are the people there; leaving the owner
            # out of the WHERE lets SQLite read them by the organisation index instead of
            # scanning all 30,000 people (checked on the rows below). Written out as SQL:
            # the ORM's CASEs and window cost more to build than the query takes to run.
            ops = connection.ops
            person_table = ops.quote_name(Person._meta.db_table)
            orgs = sorted(org_ids)
            asked = sorted(asked_ids)
            ranked_sql = (
                "SELECT organisation_id, owner_id, full_name, public_id FROM ("  # noqa: S608
                " SELECT p.organisation_id AS organisation_id, p.owner_id AS owner_id,"
                " p.full_name AS full_name, p.public_id AS public_id,"
                " ROW_NUMBER() OVER (PARTITION BY p.organisation_id ORDER BY"
                "  CASE WHEN p.is_decision_maker = %s"
                f"   OR p.seniority IN ({', '.join(['%s'] * len(SENIOR))}) THEN 1 ELSE 0 END,"
                "  CASE WHEN p.contact_list = %s THEN 0 WHEN p.contact_list = %s THEN 1"
                "   ELSE 2 END,"
                "  p.full_name) AS person_rank"
                f" FROM {person_table} p"
                f" WHERE p.organisation_id IN ({', '.join(['%s'] * len(orgs))})"
                f" AND NOT (p.id IN ({', '.join(['%s'] * len(asked))}))"
                ") ranked WHERE person_rank = 1"
            )
            ranked_params: list[Any] = [
                True,
                *SENIOR,
                str(ContactList.B),
                str(ContactList.A),
                *orgs,
                *asked,
            ]
            with connection.cursor() as cursor:
                cursor.execute(ranked_sql, ranked_params)
                ranked = [
                    (
                        org_id,
                        owner_id,
                        name,
                        public_id
                        if isinstance(public_id, uuid.UUID)
                        else uuid.UUID(str(public_id)),
                    )
                    for org_id, owner_id, name, public_id in cursor.fetchall()
                ]
            for org_id, owner_id, name, public_id in ranked:
                if owner_id == self.owner.pk:
                    candidates[org_id] = (name, public_id)

        second_after = self.settings.second_person_business_days
        follow_after = self.settings.follow_up_business_days
        actions = []
        for meeting in meetings:
            asked_on = self.local(meeting.requested_at)
            person = meeting.person
            # An answer: any message from them after the request.
            contact = latest.get(meeting.person_id, {})
            answered = contact.get("answer")
            if answered is not None and answered > meeting.requested_at:
                continue
            waited = self.calendar.between(asked_on, self.today)
            if waited < second_after:
                continue
            org = meeting.organisation
            if org is not None:
                done_second = any(
                    pid != meeting.person_id and at >= meeting.requested_at
                    for pid, at in approached.get(org.id, [])
                )
                if not done_second:
                    candidate = candidates.get(org.id)
                    if candidate:
                        who = f"for example {candidate[0]}, who is in your contact book"
                    else:
                        who = "find someone there in your network or on LinkedIn"
                    actions.append(
                        Action(
                            rule="R15",
                            key=f"R15-second:{meeting.public_id}",
                            reason=(
                                f"No answer from {person.full_name} after {second_after} business "
                                f"days: write to a second person at {org.name} — {who} (R15, 3B7)."
                            ),
                            due=self.calendar.add(asked_on, second_after),
                            person_name=candidate[0] if candidate else "",
                            person_id=candidate[1] if candidate else None,
                            organisation_name=org.name,
                            meeting_id=meeting.public_id,
                            draft_kind="request_cold",
                            # Without a name there is nobody to record a message to:
                            # "done" then only dismisses it.
                            done_kind=Kind.MESSAGE_SENT if candidate else "",
                            done_person_id=candidate[1] if candidate else None,
                        )
                    )
            if waited < follow_after:
                continue
            sent = contact.get("sent")
            if sent is not None and self.local(sent) > asked_on:
                continue  # one follow-up, then let it go
            actions.append(
                Action(
                    rule="R15",
                    key=f"R15-follow:{meeting.public_id}",
                    reason=(
                        f"No answer from {person.full_name} after {follow_after} business days: "
                        f"send one short follow-up, then let it go (R15, 3B7)."
                    ),
                    due=self.calendar.add(asked_on, follow_after),
                    person_name=person.full_name,
                    person_id=person.public_id,
                    organisation_name=org.name if org else "",
                    meeting_id=meeting.public_id,
                    draft_kind="follow_up",
                    done_kind=Kind.MESSAGE_SENT,
                    done_person_id=person.public_id,
                )
            )
        return actions

    def rule_r14_keep_in_touch(self, busy_person_ids: set[uuid.UUID]) -> list[Action]:
        """R14: keep in touch by closeness; any journal entry with the person resets the clock.

        Exact: everyone whose last journal entry is older than the cadence of their tier is
        due, and so is someone never in touch once the cadence has passed since they were
        added to the contact book (their clock starts then). At most
        ``keep_in_touch_per_day`` are suggested, the most overdue first (earliest due day,
        then the longest silence); ``self.r14_waiting`` says when more are due.
        """
        self.r14_waiting = False
        limit = self.settings.keep_in_touch_per_day
        if limit <= 0:
            return []
        cadence = {c: self.settings.cadence_days(c) for c in Closeness.values}
        # Due today or before: the last contact (or the day they were added) is before the
        # start of the local day ``cadence - 1`` days ago.
        cutoffs = {
            c: start_of_day(self.today - dt.timedelta(days=days - 1), self.zone)
            for c, days in cadence.items()
        }
        per_tier = limit + 1
        found = []

        def add(rows: list[tuple[uuid.UUID, str, str, dt.datetime, bool]]) -> None:
            for public_id, full_name, closeness, at, never in rows:
                day = self.local(at)
                found.append(
                    (
                        day + dt.timedelta(days=cadence[closeness]),
                        at,
                        full_name,
                        public_id,
                        closeness,
                        day,
                        never,
                    )
                )
            found.sort(key=lambda row: (row[0], row[1], row[2]))

        add(
            keep_in_touch_candidates(
                self.owner, self.now, cutoffs, busy_person_ids, per_tier=per_tier
            )
        )
        # People never in touch are due ``cadence`` days after they were added. Once the
        # walk found ``per_tier`` people, only those due no later than the last of them
        # can still change the day's list (or whether more are waiting): the others are
        # not read at all.
        added_before = dict(cutoffs)
        if len(found) >= per_tier:
            last_due = found[per_tier - 1][0]
            for c, days in cadence.items():
                added_before[c] = min(
                    cutoffs[c],
                    start_of_day(last_due - dt.timedelta(days=days - 1), self.zone),
                )
        add(
            never_in_touch_candidates(
                self.owner, self.now, added_before, busy_person_ids, per_tier=per_tier
            )
        )
        self.r14_waiting = len(found) > limit
        actions = []
        for due, _at, full_name, public_id, closeness, day, never in found[:limit]:
            label = Closeness(closeness).label.lower()
            if never:
                since = f"added {_day(day)} and never in touch since"
                key = f"R14:{public_id}:added-{day.isoformat()}"
            else:
                since = f"last contact {_day(day)}"
                key = f"R14:{public_id}:{day.isoformat()}"
            actions.append(
                Action(
                    rule="R14",
                    key=key,
                    reason=(
                        f"Keep in touch with {full_name} ({label}): {since} — "
                        f"send news of your search, an article or congratulations (R14)."
                    ),
                    due=due,
                    person_name=full_name,
                    person_id=public_id,
                    draft_kind="keep_in_touch",
                    done_kind=Kind.MESSAGE_SENT,
                    done_person_id=public_id,
                )
            )
        return actions

    def rule_r13_give_back(self) -> list[Action]:
        """R13: after someone helped you, give something back (an article, an introduction)."""
        days = self.settings.give_back_days
        since = self.now - dt.timedelta(days=LOOKBACK_DAYS + days)
        # One query: each help received in the window (by the owner-kind-time index) that
        # was not given back yet — no help given or article shared to the person at or
        # after it (filtered in SQL: most help is given back).
        received: Any = PersonThrough.objects.filter(
            entry__owner=self.owner,
            entry__kind=Kind.HELP_RECEIVED,
            entry__occurred_at__gte=since,
            entry__occurred_at__lte=self.now,
        ).alias(
            given=self.latest_entry_with(
                PersonThrough,
                "person_id",
                [Kind.HELP_GIVEN, Kind.ARTICLE_SHARED],
                since_column=(Entry, "occurred_at"),
            )
        )
        helped = (
            received.filter(given__isnull=True)
            .order_by("entry__occurred_at", "id")
            .values_list(
                "person__public_id",
                "person__full_name",
                "entry__public_id",
                "entry__occurred_at",
                "entry__subject",
            )
        )
        actions = []
        for public_id, full_name, entry_id, at, subject in helped:
            what = f" ({subject})" if subject else ""
            actions.append(
                Action(
                    rule="R13",
                    key=f"R13:{entry_id}:{public_id}",
                    reason=(
                        f"{full_name} helped you on {_day(self.local(at))}{what}: give something "
                        f"back — share an article, offer an introduction (R13)."
                    ),
                    due=self.local(at) + dt.timedelta(days=days),
                    person_name=full_name,
                    person_id=public_id,
                    draft_kind="keep_in_touch",
                    done_kind=Kind.HELP_GIVEN,
                    done_person_id=public_id,
                )
            )
        return actions

    def week_start(self) -> dt.date:
        return self.today - dt.timedelta(days=self.today.weekday())

    def rule_r17_weekly_goals(self) -> tuple[list[Goal], list[Action]]:
        """R17: weekly goals (requests sent, meetings held) with this week's progress."""
        week_start = self.week_start()
        start = start_of_day(week_start, self.zone)
        counts = Meeting.objects.filter(owner=self.owner).aggregate(
            requested=Count("id", filter=Q(requested_at__gte=start, requested_at__lte=self.now)),
            held=Count("id", filter=Q(held_at__gte=start, held_at__lte=self.now)),
        )
        goals = []
        actions = []
        last_day = week_start + dt.timedelta(days=4)
        while not self.calendar.is_business_day(last_day) and last_day > week_start:
            last_day -= dt.timedelta(days=1)
        # Due on the week's last business day; at the weekend, today (never overdue).
        due = max(last_day, self.today)
        by = f" by {_day(last_day)}" if self.today <= last_day else ""
        for name, label, target, done, draft in (
            (
                "requests",
                "meeting requests sent",
                self.settings.weekly_requests_goal,
                counts["requested"],
                "request_cold",
            ),
            ("held", "meetings held", self.settings.weekly_meetings_goal, counts["held"], ""),
        ):
            if target <= 0:
                continue
            goals.append(Goal("R17", label, done, target))
            if done < target:
                actions.append(
                    Action(
                        rule="R17",
                        key=f"R17-{name}:{week_start.isoformat()}",
                        reason=(
                            f"Weekly goal: {done} of {target} {label} this week — "
                            f"{target - done} to go{by} (R17)."
                        ),
                        due=due,
                        draft_kind=draft,
                    )
                )
        return goals, actions

    def rule_r3_start_modest(self) -> list[Action]:
        """R3: until three meetings are held, practise on lists A and B; warn before a senior C."""
        practice = self.settings.practice_meetings
        if practice <= 0:
            return []
        held = Meeting.objects.filter(owner=self.owner, held_at__lte=self.now).count()
        if held >= practice:
            return []
        actions = []
        nth = {0: "first", 1: "second", 2: "third"}.get(held, f"{held + 1}th")
        for meeting in self.open_requests():
            person = meeting.person
            if person.contact_list != ContactList.C:
                continue
            if person.seniority not in SENIOR and not person.is_decision_maker:
                continue
            rank = person.get_seniority_display().lower() if person.seniority else "decision maker"
            actions.append(
                Action(
                    rule="R3",
                    key=f"R3-senior:{meeting.public_id}",
                    reason=(
                        f"{person.full_name} (list C, {rank}) would be your {nth} meeting: "
                        f"practise on lists A and B first and keep the most senior people for later (R3)."
                    ),
                    due=self.today,
                    person_name=person.full_name,
                    person_id=person.public_id,
                    meeting_id=meeting.public_id,
                )
            )
        asked = Meeting.objects.filter(owner=self.owner, person=OuterRef("pk"))
        starters = list(
            Person.objects.filter(owner=self.owner, contact_list__in=[ContactList.A, ContactList.B])
            .exclude(Exists(asked))
            .order_by("contact_list", "family_name", "given_name", "id")
            .values_list("public_id", "full_name", "contact_list")[:R3_SUGGESTIONS]
        )
        for public_id, full_name, contact_list in starters:
            actions.append(
                Action(
                    rule="R3",
                    key=f"R3-start:{public_id}",
                    reason=(
                        f"Start modest: ask {full_name} (list {contact_list}) for 20 minutes of "
                        f"advice — practise before list C (R3)."
                    ),
                    due=self.today,
                    person_name=full_name,
                    person_id=public_id,
                    draft_kind="request_cold",
                )
            )
        return actions

    def rule_r19_landed(self) -> list[Action]:
        """R19: after landing, thank everyone who helped (then keep in touch)."""
        landed = self.settings.landed_on
        if landed is None or landed > self.today:
            return []
        helper_ids: set[int] = set(
            Meeting.objects.filter(owner=self.owner, held_at__lte=self.now).values_list(
                "person_id", flat=True
            )
        )
        helper_ids |= set(
            Referral.objects.filter(owner=self.owner, referred_on__lte=self.today).values_list(
                "referrer_id", flat=True
            )
        )
        helper_ids |= set(
            PersonThrough.objects.filter(
                entry__owner=self.owner,
                entry__kind=Kind.HELP_RECEIVED,
                entry__occurred_at__lte=self.now,
            ).values_list("person_id", flat=True)
        )
        if not helper_ids:
            return []
        told = self.people_contact_times(
            helper_ids,
            [Kind.THANK_YOU, Kind.MESSAGE_SENT, Kind.REPORT_BACK, Kind.CALL],
            start_of_day(landed, self.zone),
        )
        due = landed + dt.timedelta(days=7)
        actions = []
        for public_id, full_name in (
            Person.objects.filter(owner=self.owner, id__in=helper_ids - set(told))
            .order_by("family_name", "given_name", "id")
            .values_list("public_id", "full_name")
        ):
            actions.append(
                Action(
                    rule="R19",
                    key=f"R19:{landed.isoformat()}:{public_id}",
                    reason=(
                        f"You landed: tell {full_name} and thank them for their help — "
                        f"networking goes on after the job is found (R19)."
                    ),
                    due=due,
                    person_name=full_name,
                    person_id=public_id,
                    draft_kind="keep_in_touch",
                    done_kind=Kind.THANK_YOU,
                    done_person_id=public_id,
                )
            )
        return actions

    def todos_and_promises(self, horizon: dt.date) -> list[Action]:
        actions = []
        # Plain values, not model instances: only what the actions show.
        for todo_id, title, due_on, person_public_id, person_name in Todo.objects.filter(
            Q(done_at__isnull=True) | Q(done_at__gt=self.now),
            owner=self.owner,
            due_on__lte=horizon,
        ).values_list("public_id", "title", "due_on", "person__public_id", "person__full_name"):
            actions.append(
                Action(
                    rule="todo",
                    key=f"todo:{todo_id}",
                    reason=title,
                    due=due_on,
                    person_name=person_name or "",
                    person_id=person_public_id,
                    todo_id=todo_id,
                )
            )
        for (
            promise_id,
            text,
            due_on,
            meeting_id,
            person_public_id,
            person_name,
            met_public_id,
            met_name,
        ) in (
            Promise.objects.filter(
                Q(done_at__isnull=True) | Q(done_at__gt=self.now),
                owner=self.owner,
                due_on__lte=horizon,
            )
            .order_by("due_on", "id")
            .values_list(
                "public_id",
                "text",
                "due_on",
                "meeting__public_id",
                "person__public_id",
                "person__full_name",
                "meeting__person__public_id",
                "meeting__person__full_name",
            )
        ):
            name = person_name or met_name or ""
            to = f" to {name}" if name else ""
            actions.append(
                Action(
                    rule="promise",
                    key=f"promise:{promise_id}",
                    reason=f"You promised{to}: {text} (R17 — never forget a promise).",
                    due=due_on,
                    person_name=name,
                    person_id=person_public_id or met_public_id,
                    meeting_id=meeting_id,
                    promise_id=promise_id,
                )
            )
        return actions

    # -- putting it together -----------------------------------------------------------

    def build(self) -> Agenda:
        horizon = self.today + dt.timedelta(days=WEEK_AHEAD_DAYS)
        landed = self.settings.landed_on is not None and self.settings.landed_on <= self.today
        actions: list[Action] = []
        goals: list[Goal] = []
        actions += self.todos_and_promises(horizon)
        if landed:
            actions += self.rule_r19_landed()
        else:
            actions += self.rule_r11_thank_you()
            actions += self.rule_r12_report_back()
            actions += self.rule_r12_leads()
            actions += self.rule_r15_3b7()
            actions += self.rule_r13_give_back()
            actions += self.rule_r10_referrals()
            actions += self.rule_r3_start_modest()
            goals, weekly = self.rule_r17_weekly_goals()
            actions += weekly
        # One suggestion per person: "start with Ana" adds nothing when Ana already has an action.
        busy = {a.person_id for a in actions if a.person_id and not a.key.startswith("R3-start:")}
        actions = [
            a for a in actions if not (a.key.startswith("R3-start:") and a.person_id in busy)
        ]
        busy |= {m.person.public_id for m in self.open_requests()} if not landed else set()
        actions += self.rule_r14_keep_in_touch(busy)

        dismissed, snoozed = hidden_action_keys(self.owner, self.today)
        shown = []
        seen: set[str] = set()
        for action in actions:
            if action.key in dismissed or action.key in snoozed or action.key in seen:
                continue
            if action.due > horizon:
                continue
            seen.add(action.key)
            if action.deadline is not None:
                action.overdue = action.deadline < self.now
            else:
                action.overdue = action.due < self.today
            shown.append(action)
        shown.sort(
            key=lambda a: (not a.overdue, a.due > self.today, a.priority, a.due, a.person_name)
        )
        return Agenda(
            today=self.today,
            now=self.now,
            actions=shown,
            goals=goals,
            landed=landed,
            keep_in_touch_waiting=self.r14_waiting,
            keep_in_touch_per_day=self.settings.keep_in_touch_per_day,
        )


def agenda_now_for_date(owner: User, day: dt.date | None) -> dt.datetime:
    """The moment an agenda "as of ``day``" is computed for: the end of that local day
    (so everything that happened that day counts), or now when no day is given."""
    if day is None:
        return timezone.now()
    return end_of_day(day, user_zone(owner))


def agenda_for(owner: User, now: dt.datetime | None = None) -> Agenda:
    """The agenda of ``owner`` as of ``now`` (default: the current time)."""
    builder = AgendaBuilder(owner, now or timezone.now(), settings_for(owner))
    if connection.vendor != "postgresql":
        return builder.build()
    # PostgreSQL compiles a query to machine code (JIT) when its estimated cost is high,
    # and the correlated "latest entry with this person" subqueries estimate high: that
    # compilation took 330 ms for a query that runs in 15 ms. The agenda's queries are
    # all short, so JIT is off for them, and back to the session's setting after.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        try:
            return builder.build()
        finally:
            cursor.execute("SET LOCAL jit TO DEFAULT")


def r3_request_warning(owner: User, person: Person) -> str:
    """R3's warning to show when asking ``person`` for a meeting ("" when there is none):
    before the first few meetings are held, do not start with a senior list C person.
    For the meeting request form and `grapevine meetings request`."""
    coach_settings = settings_for(owner)
    practice = coach_settings.practice_meetings
    if practice <= 0 or person.contact_list != ContactList.C:
        return ""
    if person.seniority not in SENIOR and not person.is_decision_maker:
        return ""
    held = Meeting.objects.filter(owner=owner, held_at__isnull=False).count()
    if held >= practice:
        return ""
    rank = person.get_seniority_display().lower() if person.seniority else "a decision maker"
    return (
        f"{person.full_name} is on list C and {rank}; you have held {held} of your first "
        f"{practice} meetings. Practise on lists A and B first and keep the most senior "
        f"people for when you are at ease (R3)."
    )
