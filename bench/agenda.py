"""Time and query count of the coach's agenda for one owner (issue 5, "Speed").

    python -m bench.agenda [--contacts 30000] [--meetings 3000] [--journal 100000] [--runs 30]
                           [--as-generated]

Builds the data in a temporary data folder (SQLite, unless DATABASE_URL is set):
the contact book and journal come from ``bench.generate`` (seeded), then meetings in
every status, the referrals they produced, promises and to-dos are added with
``bulk_create`` from the same seed. It builds a second owner at a tenth of the size
in the same database, then computes the complete ``agenda_for(owner)`` ``--runs``
times for each and prints the median and 95th percentile time and the number of
queries: the count is the same at both sizes (no query per person).

The owner follows through, as the rules ask (``follow_through``): ``bench.generate``
draws every journal entry's kind, people and date independently of the referrals, so
as generated nobody ever writes to a lead or gives back after help — 547 leads and
472 give-backs would be due at once, which no user of the coach lives with. Here 90 %
of the referrals get a message to the referred person 0-6 days later, and 85 % of the
help received is returned (help given or an article shared) 1-10 days later; those
follow-ups are existing generated entries re-dated and re-addressed, so the journal
still has exactly ``--journal`` entries. Whatever falls in the last days stays open, so
the agenda still has leads, give-backs, and R14's thousands of overdue people.
``--as-generated`` skips this step and measures the generator's data as it is (in its
own data folder or database: the same seed gives the same public ids).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass
class Size:
    label: str
    email: str
    contacts: int
    meetings: int
    journal: int


@dataclass
class Result:
    label: str
    contacts: int
    meetings: int
    journal: int
    median_ms: float
    p95_ms: float
    queries: int
    actions: int


def add_meetings(owner: Any, *, meetings: int, seed: int) -> None:
    """Meetings in every status over two years, with the referrals they produced and promises."""
    from django.db import transaction
    from django.utils import timezone

    from grapevine.coach.models import Todo
    from grapevine.contacts.models import Person, Referral
    from grapevine.meetings.models import Meeting, MeetingReferral, Promise, Status

    rng = random.Random(seed * 7919 + meetings)
    now = timezone.now()
    people = list(
        Person.objects.filter(owner=owner).order_by("id").values_list("id", "organisation_id")
    )
    taken_pairs = set(
        Referral.objects.filter(owner=owner).values_list("referrer_id", "referred_id")
    )

    def uid() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    rows: list[Meeting] = []
    # Requests spread evenly over two years (about four a day for 3,000): the recent
    # ones are still open or just answered, the older ones have ended one way or another.
    recent = [
        (Status.REQUESTED, 0.35),
        (Status.SCHEDULED, 0.25),
        (Status.HELD, 0.25),
        (Status.DECLINED, 0.15),
    ]
    ended = [
        (Status.HELD, 0.60),
        (Status.DECLINED, 0.15),
        (Status.NO_ANSWER, 0.15),
        (Status.CANCELLED, 0.10),
    ]
    for _ in range(meetings):
        person_id, org_id = rng.choice(people)
        requested = now - dt.timedelta(days=rng.uniform(0, 730))
        statuses = recent if now - requested < dt.timedelta(days=14) else ended
        status = rng.choices([s for s, _ in statuses], weights=[w for _, w in statuses])[0]
        meeting = Meeting(
            owner=owner,
            public_id=uid(),
            person_id=person_id,
            organisation_id=org_id,
            status=status,
            requested_at=requested,
        )
        answered = min(now, requested + dt.timedelta(days=rng.uniform(1, 4)))
        if status == Status.SCHEDULED:
            meeting.scheduled_at = answered
            meeting.scheduled_for = now + dt.timedelta(days=rng.uniform(1, 14))
        elif status == Status.HELD:
            meeting.scheduled_at = answered
            meeting.held_at = min(now, answered + dt.timedelta(days=rng.uniform(1, 7)))
            meeting.scheduled_for = meeting.held_at
        elif status == Status.DECLINED:
            meeting.declined_at = answered
        elif status == Status.NO_ANSWER:
            meeting.no_answer_at = answered
        elif status == Status.CANCELLED:
            meeting.cancelled_at = answered
        rows.append(meeting)

    with transaction.atomic():
        Meeting.objects.bulk_create(rows, batch_size=1000)
        produced: list[tuple[int, Referral]] = []
        for index, meeting in enumerate(rows):
            if meeting.status != Status.HELD or meeting.held_at is None:
                continue
            for _ in range(rng.choice([0, 1, 2, 2, 3])):
                referred_id, _org = rng.choice(people)
                pair = (meeting.person_id, referred_id)
                if referred_id == meeting.person_id or pair in taken_pairs:
                    continue
                taken_pairs.add(pair)
                produced.append(
                    (
                        index,
                        Referral(
                            owner=owner,
                            public_id=uid(),
                            referrer_id=meeting.person_id,
                            referred_id=referred_id,
                            referred_on=meeting.held_at.date(),
                        ),
                    )
                )
        Referral.objects.bulk_create([r for _, r in produced], batch_size=1000)
        MeetingReferral.objects.bulk_create(
            [MeetingReferral(meeting=rows[i], referral=r) for i, r in produced], batch_size=1000
        )
        Promise.objects.bulk_create(
            [
                Promise(
                    owner=owner,
                    public_id=uid(),
                    meeting=meeting,
                    person_id=meeting.person_id,
                    text="send the article we discussed",
                    due_on=(meeting.held_at + dt.timedelta(days=rng.randint(1, 14))).date(),
                    done_at=None if rng.random() < 0.2 else meeting.held_at,
                )
                for meeting in rows
                if meeting.held_at is not None and rng.random() < 0.3
            ],
            batch_size=1000,
        )
        Todo.objects.bulk_create(
            [
                Todo(
                    owner=owner,
                    public_id=uid(),
                    title=f"Hand-made to-do {n}",
                    due_on=(now + dt.timedelta(days=rng.randint(-20, 20))).date(),
                    done_at=None if rng.random() < 0.5 else now,
                )
                for n in range(max(1, meetings // 30))
            ]
        )


def follow_through(owner: Any, *, seed: int) -> tuple[int, int]:
    """The owner follows most leads and gives back most help (see the module's docstring):
    generated entries are re-dated, re-kinded and re-addressed as those follow-ups.
    Returns (leads followed, helps returned)."""
    from django.db import transaction
    from django.utils import timezone

    from grapevine.contacts.models import Referral
    from grapevine.journal.models import Entry, Kind

    rng = random.Random(seed * 104729 + 17)
    now = timezone.now()
    link = Entry.people.through
    helps = list(
        link.objects.filter(entry__owner=owner, entry__kind=Kind.HELP_RECEIVED)
        .order_by("entry_id", "person_id")
        .values_list("entry_id", "person_id", "entry__occurred_at")
    )
    helped_entries = {entry_id for entry_id, _, _ in helps}
    spare = [
        entry_id
        for entry_id in Entry.objects.filter(owner=owner)
        .order_by("id")
        .values_list("id", flat=True)
        if entry_id not in helped_entries
    ]
    rng.shuffle(spare)
    follow_ups: list[tuple[str, dt.datetime, int]] = []  # (kind, when, person)
    for referred_id, referred_on in (
        Referral.objects.filter(owner=owner)
        .order_by("id")
        .values_list("referred_id", "referred_on")
    ):
        if rng.random() < 0.9:
            start = dt.datetime.combine(referred_on, dt.time(9), tzinfo=dt.UTC)
            when = start + dt.timedelta(seconds=rng.randrange(6 * 86400 + 8 * 3600))
            if when <= now:
                follow_ups.append((Kind.MESSAGE_SENT, when, referred_id))
    leads = len(follow_ups)
    for _entry_id, person_id, at in helps:
        if rng.random() < 0.85:
            when = at + dt.timedelta(seconds=rng.randrange(86400, 10 * 86400))
            if when <= now:
                kind = Kind.HELP_GIVEN if rng.random() < 0.6 else Kind.ARTICLE_SHARED
                follow_ups.append((kind, when, person_id))
    follow_ups = follow_ups[: len(spare)]
    with transaction.atomic():
        entries = Entry.objects.in_bulk(spare[: len(follow_ups)])
        changed = []
        for entry_id, (kind, when, _person) in zip(spare, follow_ups, strict=False):
            entry = entries[entry_id]
            entry.kind, entry.occurred_at, entry.subject = kind, when, "Follow-up"
            changed.append(entry)
        Entry.objects.bulk_update(changed, ["kind", "occurred_at", "subject"], batch_size=1000)
        ids = [e.pk for e in changed]
        for start in range(0, len(ids), 500):
            link.objects.filter(entry_id__in=ids[start : start + 500]).delete()
        link.objects.bulk_create(
            [
                link(entry_id=entry_id, person_id=person)
                for entry_id, (_kind, _when, person) in zip(spare, follow_ups, strict=False)
            ],
            batch_size=2000,
        )
    return leads, len(follow_ups) - leads


def measure(email: str, runs: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grapevine.accounts.models import User
    from grapevine.coach.agenda import agenda_for

    owner = User.objects.get(email=email)
    agenda_for(owner)  # warm the caches (holidays, prepared statements) once
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        agenda = agenda_for(owner)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        agenda = agenda_for(owner)
    return times, len(captured.captured_queries), len(agenda.actions)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.agenda",
        description="Time the coach's agenda at full size and at a tenth of it.",
    )
    parser.add_argument("--contacts", type=int, default=30000, help="people (default 30000)")
    parser.add_argument("--meetings", type=int, default=3000, help="meetings (default 3000)")
    parser.add_argument(
        "--journal", type=int, default=100000, help="journal entries (default 100000)"
    )
    parser.add_argument("--runs", type=int, default=30, help="timed runs per size (default 30)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="data folder (default: a temporary one)"
    )
    parser.add_argument(
        "--as-generated",
        action="store_true",
        help="skip the owner's follow-through: nobody written to after a referral, no help returned",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="grapevine-bench-agenda-"))
    from bench import setup_django

    setup_django(data_dir)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.generate import generate
    from grapevine.accounts.models import User

    call_command("migrate", interactive=False, verbosity=0)
    mode = "as-generated" if args.as_generated else "follow-through"
    suffix = "-as-generated" if args.as_generated else ""
    sizes = [
        Size(
            "full", f"agenda-full{suffix}@example.org", args.contacts, args.meetings, args.journal
        ),
        Size(
            "tenth",
            f"agenda-tenth{suffix}@example.org",
            max(1, args.contacts // 10),
            max(1, args.meetings // 10),
            max(1, args.journal // 10),
        ),
    ]
    quiet = (lambda *a, **k: None) if args.json else print
    results = []
    for size in sizes:
        if not User.objects.filter(email=size.email).exists():
            quiet(f"Generating {size.label}: {size.contacts:,} people, {size.journal:,} entries …")
            seed = args.seed if size.label == "full" else args.seed + 1000  # public ids differ
            generate(
                contacts=size.contacts,
                journal=size.journal,
                seed=seed,
                email=size.email,
                say=quiet,
            )
            owner = User.objects.get(email=size.email)
            add_meetings(owner, meetings=size.meetings, seed=seed)
            if not args.as_generated:
                leads, helps = follow_through(owner, seed=seed)
                quiet(f"  {leads:>7,} leads followed and {helps:,} helps returned (follow-through)")
            if connection.vendor == "postgresql":
                # The steady state autovacuum reaches: statistics of the new rows.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        times, queries, actions = measure(size.email, args.runs)
        results.append(
            Result(
                label=size.label,
                contacts=size.contacts,
                meetings=size.meetings,
                journal=size.journal,
                median_ms=round(statistics.median(times), 1),
                p95_ms=round(sorted(times)[max(0, int(len(times) * 0.95) - 1)], 1),
                queries=queries,
                actions=actions,
            )
        )
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if args.json:
        print(
            json.dumps(
                {
                    "database": engine,
                    "data": mode,
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "runs": args.runs,
                    "results": [asdict(r) for r in results],
                },
                indent=2,
            )
        )
    else:
        print(
            f"\nAgenda for one owner ({engine}, {mode} data, {args.runs} runs, {os.cpu_count()} CPUs):"
        )
        print(
            f"{'size':<6} {'people':>8} {'meetings':>9} {'entries':>9} {'median':>9} {'p95':>9} {'queries':>8} {'actions':>8}"
        )
        for r in results:
            print(
                f"{r.label:<6} {r.contacts:>8,} {r.meetings:>9,} {r.journal:>9,} "
                f"{r.median_ms:>7.1f}ms {r.p95_ms:>7.1f}ms {r.queries:>8} {r.actions:>8}"
            )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
