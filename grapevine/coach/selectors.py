"""Reads of the coach's own rows, always scoped to one owner."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from grapevine.accounts.models import User
from grapevine.coach.models import CoachSettings, Dismissal, Snooze, Todo


def settings_for(user: User) -> CoachSettings:
    """The user's coach settings; an unsaved row with the defaults when they never changed any."""
    found = CoachSettings.objects.filter(user=user).first()
    return found if found is not None else CoachSettings(user=user)


def settings_for_calendar_token(token: str) -> CoachSettings:
    """The settings (and so the user) a calendar feed token belongs to; 404 when revoked."""
    if not token or len(token) > 64:
        raise Http404("No such calendar.")
    found = CoachSettings.objects.filter(calendar_token=token).select_related("user").first()
    if found is None or not found.user.is_active:
        raise Http404("No such calendar.")
    return found


def hidden_action_keys(owner: User, today: dt.date) -> tuple[set[str], dict[str, dt.date]]:
    """Keys the user dismissed, and keys snoozed until a later day (with that day)."""
    dismissed = set(Dismissal.objects.filter(owner=owner).values_list("action_key", flat=True))
    snoozed = dict(
        Snooze.objects.filter(owner=owner, until__gt=today).values_list("action_key", "until")
    )
    return dismissed, snoozed


def todo_list(owner: User, *, open_only: bool = True) -> QuerySet[Todo]:
    todos = Todo.objects.filter(owner=owner).select_related("person")
    if open_only:
        todos = todos.filter(done_at__isnull=True)
    return todos


def todo_get(owner: User, public_id: str | uuid.UUID) -> Todo:
    try:
        pid = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such to-do.") from None
    todo = Todo.objects.filter(owner=owner, public_id=pid).select_related("person").first()
    if todo is None:
        raise Http404("No such to-do.")
    return todo


def dismissal_list(owner: User) -> QuerySet[Dismissal]:
    return Dismissal.objects.filter(owner=owner).order_by("-created_at")


def digest_candidates() -> QuerySet[CoachSettings]:
    """Users who opted in to the digest and were not sent one in the last day (the worker
    still claims each before sending: "today" depends on each user's time zone)."""
    utc_yesterday = timezone.now().date() - dt.timedelta(days=1)
    return (
        CoachSettings.objects.filter(digest_enabled=True, user__is_active=True)
        .filter(
            Q(last_digest_on__isnull=True)
            | Q(last_digest_on__lte=utc_yesterday + dt.timedelta(days=1))
        )
        .select_related("user")
        .order_by("id")
    )


def _aware(value: Any) -> dt.datetime:
    """A timestamp from a raw query: SQLite gives text or a naive UTC datetime."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        assert parsed is not None, value
        value = parsed
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def keep_in_touch_candidates(
    owner: User,
    now: dt.datetime,
    cutoffs: dict[str, dt.datetime],
    busy: set[uuid.UUID],
    *,
    per_tier: int,
) -> list[tuple[uuid.UUID, str, str, dt.datetime, bool]]:
    """R14's candidates, exactly, in two queries: for each closeness tier (``cutoffs``:
    tier → moment), the ``per_tier`` people of the owner whose last journal entry up to
    ``now`` is before the tier's moment, longest silence first; and per tier the
    ``per_tier`` people never in touch (no entry up to ``now``) who were added before it,
    earliest added first. People in ``busy`` (public ids) are left out.
    Rows: (public id, full name, closeness, last entry or added at, never in touch).

    Nobody's last contact is aggregated over the 30,000 people: each tier walks the
    owner's journal from its oldest entry (the owner-time index) and keeps an entry only
    when no later entry names the same person (read by the person-entry index), so it
    stops at the ``per_tier``-th person whose last entry it is. That is exact — the people
    come out in the order of their last contact — and cheap while many people are overdue;
    it reads further when few are. The people never in touch are the second query. Raw SQL because the ORM cannot put a LIMIT on each part
    of a UNION on SQLite, nor compare a later entry's (time, id) pair with the outer one.
    """
    from grapevine.contacts.models import Person
    from grapevine.journal.models import Entry

    ops = connection.ops
    entry = ops.quote_name(Entry._meta.db_table)
    link = ops.quote_name(Entry.people.through._meta.db_table)
    person = ops.quote_name(Person._meta.db_table)
    public_id = Person._meta.get_field("public_id")
    busy_params = [public_id.get_db_prep_value(u, connection) for u in busy]
    # People who already have an action today, as a constant table the parts share.
    head = (
        f"WITH busy (public_id) AS (VALUES {', '.join(['(%s)'] * len(busy_params))})\n"
        if busy_params
        else ""
    )
    not_busy = " AND p.public_id NOT IN (SELECT public_id FROM busy)" if busy_params else ""
    at_now = ops.adapt_datetimefield_value(now)
    parts: list[str] = []
    params: list[Any] = list(busy_params)
    for n, (closeness, cutoff) in enumerate(cutoffs.items()):
        parts.append(
            f"""SELECT * FROM (
  SELECT p.public_id AS public_id, p.full_name AS full_name, p.closeness AS closeness,
         e.occurred_at AS moment, 0 AS never
  -- The people of the owner's entries are the owner's: no owner condition on p, so that
  -- p is only ever read by primary key (with one, SQLite may scan all the owner's people
  -- for each entry).
  FROM {entry} e
  JOIN {link} ep ON ep.entry_id = e.id
  JOIN {person} p ON p.id = ep.person_id
  WHERE e.owner_id = %s AND e.occurred_at < %s AND p.closeness = %s{not_busy}
    AND NOT EXISTS (
      SELECT 1 FROM {link} later_link JOIN {entry} later ON later.id = later_link.entry_id
      WHERE later_link.person_id = p.id AND later.occurred_at <= %s
        AND (later.occurred_at > e.occurred_at
             OR (later.occurred_at = e.occurred_at AND later.id > e.id)))
  ORDER BY e.occurred_at
  LIMIT %s
) AS walk{n}"""  # noqa: S608 (names from _meta, values are parameters)
        )
        params += [
            owner.pk,
            ops.adapt_datetimefield_value(cutoff),
            closeness,
            at_now,
            per_tier,
        ]
    # Never in touch by now: no link at all (the person-entry index alone, no entry
    # read), or links only to entries after now (a replayed day; none on a live agenda).
    tiers = " OR ".join(["(p.closeness = %s AND p.created_at < %s)"] * len(cutoffs))
    never = f"""{head}SELECT public_id, full_name, closeness, moment, never FROM (
  SELECT p.public_id AS public_id, p.full_name AS full_name, p.closeness AS closeness,
         p.created_at AS moment, 1 AS never,
         ROW_NUMBER() OVER (PARTITION BY p.closeness ORDER BY p.created_at, p.id) AS n
  FROM {person} p
  WHERE p.id IN (
      SELECT q.id FROM {person} q
      WHERE q.owner_id = %s
        AND NOT EXISTS (SELECT 1 FROM {link} ql WHERE ql.person_id = q.id)
      UNION
      SELECT fl.person_id FROM {entry} fe JOIN {link} fl ON fl.entry_id = fe.id
      WHERE fe.owner_id = %s AND fe.occurred_at > %s
        AND NOT EXISTS (
          SELECT 1 FROM {link} bl JOIN {entry} be ON be.id = bl.entry_id
          WHERE bl.person_id = fl.person_id AND be.occurred_at <= %s))
    AND p.owner_id = %s AND ({tiers}){not_busy}
) AS never_in_touch WHERE n <= %s"""  # noqa: S608 (names from _meta, values are parameters)
    never_params: list[Any] = [*busy_params, owner.pk, owner.pk, at_now, at_now, owner.pk]
    for closeness, cutoff in cutoffs.items():
        never_params += [closeness, ops.adapt_datetimefield_value(cutoff)]
    never_params.append(per_tier)
    steer = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if steer:
            # PostgreSQL misjudges how far the walk goes before it finds 6 people and may
            # hash-join the whole link table and sort it (25 ms instead of 1-5 ms per tier
            # for a small owner): walk the index, for this statement only (the agenda runs
            # in a transaction on PostgreSQL; elsewhere SET LOCAL does nothing).
            cursor.execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_sort = off")
        cursor.execute(head + "\nUNION ALL\n".join(parts), params)
        rows = cursor.fetchall()
        if steer:
            cursor.execute("SET LOCAL enable_hashjoin TO DEFAULT; SET LOCAL enable_sort TO DEFAULT")
        cursor.execute(never, never_params)
        rows += cursor.fetchall()
    return [
        (
            pid if isinstance(pid, uuid.UUID) else uuid.UUID(str(pid)),
            name,
            closeness,
            _aware(moment),
            bool(never),
        )
        for pid, name, closeness, moment, never in rows
    ]
