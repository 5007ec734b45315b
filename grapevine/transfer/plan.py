"""The import plan: a file parsed once into what each row will create, update or skip,
and why — read against the owner's data, writing nothing.

``plan_build`` streams the rows of a recognised file (``formats.read_source``) and
matches each against a snapshot of the owner's contact book read at the start (one
query per table): people by LinkedIn URL, then e-mail or phone when the names agree,
then name and organisation when nothing tells them apart. Two rows (or a row and a
saved person) with the same name but different e-mails or phones are two people,
listed as possible duplicates. ``plan_apply`` writes exactly the plan through the apps'
bulk writers (``contacts.bulk``, ``journal.services.entries_create_many``,
``targets.services.postings_write``) in one transaction, after checking that the
owner's data is still what the plan was read against. The web stores the plan between
the preview and the confirmation (``plan_dump``/``plan_load``); the CLI applies it
at once, or prints it for ``--dry-run``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from rapidfuzz import fuzz

from grapevine.accounts.models import User
from grapevine.contacts.bulk import (
    OrganisationWrite,
    PersonWrite,
    organisations_write,
    people_write,
)
from grapevine.contacts.models import ContactList, Organisation, Person, PersonEmail, PersonPhone
from grapevine.contacts.normalise import (
    WITHOUT_COMBINING_MARKS,
    NameParts,
    clean_text,
    domain_from_website,
    normalise_phone,
    organisation_key,
    parse_name,
)
from grapevine.core.bulk import cyclic_gc_paused, sqlite_cache_enlarged
from grapevine.journal.models import Kind
from grapevine.journal.services import EntryWrite, entries_create_many
from grapevine.targets.services import POSTING_FIELDS, PostingWrite, postings_write
from grapevine.transfer import selectors
from grapevine.transfer.formats import BadFile, Reading
from grapevine.transfer.formats.base import (
    EntryRow,
    Item,
    OrganisationRow,
    PersonRow,
    PostingRow,
    RowProblem,
)

Progress = Callable[[int, int | None], None]
PLAN_VERSION = 1
# At most this many problems are kept for the message of a refused file.
MAX_PROBLEMS = 1000


class ImportFailed(Exception):
    """Bad rows and no permission to skip them: nothing was imported."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(
            f"Line {first.line}: {first.reason}{more} Nothing was imported: fix the file, "
            "or skip bad rows to import the rest."
        )


class PlanStale(Exception):
    """The owner's data changed after the plan was read: it must be made again."""


@dataclass(slots=True)
class PlanRow:
    """One line of the preview: what a row of the file will do, and why."""

    line: int
    action: str  # "new", "update", "same", "skip"
    what: str  # "person", "organisation", "entry", "posting", "row"
    label: str
    why: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "action": self.action,
            "what": self.what,
            "label": self.label,
            "why": self.why,
        }


@dataclass
class ImportPlan:
    format: str
    contact_list: str
    skip_bad_rows: bool
    rows: list[PlanRow] = field(default_factory=list)
    # Rows and values left out (a draft, a group card; with skip_bad_rows, bad rows and
    # bad values), and what was changed to fit (a cut name, removed control characters).
    skipped: list[RowProblem] = field(default_factory=list)
    notices: list[RowProblem] = field(default_factory=list)
    # (line, who, why): namesakes kept apart, for the user to merge or not.
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)
    organisations: list[OrganisationWrite] = field(default_factory=list)
    people: list[PersonWrite] = field(default_factory=list)
    entries: list[EntryWrite] = field(default_factory=list)
    # Entry i names entry_people[i]: saved people's ids and new people (PersonWrite).
    entry_people: list[list[int | PersonWrite]] = field(default_factory=list)
    entry_orgs: list[int | str | None] = field(default_factory=list)
    postings: list[PostingWrite] = field(default_factory=list)
    basis: list[Any] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    applied: bool = False

    def count(self, row: PlanRow) -> None:
        self.rows.append(row)
        if row.action == "new":
            self.created += 1
        elif row.action == "update":
            self.updated += 1
        elif row.action == "same":
            self.unchanged += 1

    @property
    def samples(self) -> list[PlanRow]:
        return [r for r in self.rows if r.action != "skip"][:10]

    @property
    def changes(self) -> int:
        return self.created + self.updated

    def as_json(self, *, rows: bool = False) -> dict[str, object]:
        data: dict[str, object] = {
            "format": self.format,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [p.as_dict() for p in sorted(self.skipped, key=lambda p: p.line)],
            "notices": [p.as_dict() for p in sorted(self.notices, key=lambda p: p.line)],
            "possible_duplicates": [
                {"line": line, "name": who, "why": why} for line, who, why in self.duplicates
            ],
        }
        if rows:
            data["plan"] = [r.as_dict() for r in self.rows]
        return data


ImportResult = ImportPlan  # what an applied plan reports


# ---------------------------------------------------------------------------
# Matching keys
# ---------------------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")


def name_key(given: str, family: str, full: str = "") -> str:
    """Comparable form of a name: case, accents and punctuation removed."""
    text = f"{given} {family}" if (given or family) else full
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKD", text.casefold()).translate(WITHOUT_COMBINING_MARKS)
    return _NON_WORD.sub(" ", text).strip()


def quick_name(row: PersonRow) -> NameParts | None:
    """What ``parse_name`` returns for clean given/family parts without a nickname or
    credentials, without its per-character work; None when parse_name must decide."""
    given, middle, family = row.given_name, row.middle_name, row.family_name
    if "," in family or any(c in given for c in '"“('):
        return None
    if not (given.isprintable() and family.isprintable() and middle.isprintable()):
        return None
    shown = " ".join(p for p in (given, middle, family) if p)
    return NameParts(shown, "", given, middle, family, "", "")


def names_compatible(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    ta, tb = a.split(), b.split()
    if ta[0] == tb[0] and ta[-1] == tb[-1]:
        return True
    return fuzz.token_sort_ratio(a, b) >= 85


@dataclass(slots=True, eq=False)
class Snap:
    """What the plan knows about one person, saved or about to be created."""

    pk: int | None
    nkey: str
    label: str
    url: str
    org: int | str | None  # a saved organisation's id, or a new one's key
    title: str
    notes: str
    # Tuples, replaced (never changed in place) when something is added: most people
    # have no phone or tag, and 150,000 empty lists would cost 25 MB.
    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    tags: Sequence[str] = ()
    line: int = 0  # the row that created it, for a person new in this file
    write: PersonWrite | None = None

    def tag_keys(self) -> set[str]:
        return {t.lower() for t in self.tags}


def _differs(snap: Snap, url: str, emails: list[str], phones: list[str]) -> str:
    """Why a namesake is someone else: a different profile, e-mails or phones."""
    if url and snap.url and url != snap.url:
        return "a different LinkedIn profile"
    if emails and snap.emails and not set(emails) & set(snap.emails):
        return "different e-mail addresses"
    valid = {n for n in phones if n.startswith("+")}
    saved = {n for n in snap.phones if n.startswith("+")}
    if valid and saved and not valid & saved:
        return "different phone numbers"
    return ""


# Person fields an import fills, with their column limits (the model's).
_LIMITS = {
    f.name: f.max_length
    for f in Person._meta.concrete_fields
    if getattr(f, "max_length", None) and f.name != "contact_list"
}
_FIELD_NAMES = {
    "full_name": "name",
    "given_name": "given name",
    "middle_name": "middle name",
    "family_name": "family name",
    "title_prefix": "name prefix",
    "suffix": "suffix",
    "nickname": "nickname",
    "job_title": "title",
    "linkedin_url": "LinkedIn profile",
}


# ---------------------------------------------------------------------------
# Building the plan
# ---------------------------------------------------------------------------


class Planner:
    def __init__(
        self,
        owner: User,
        reading: Reading,
        *,
        contact_list: str,
        skip_bad_rows: bool,
        progress: Progress | None = None,
    ) -> None:
        self.owner = owner
        self.owner_id = owner.pk
        self.reading = reading
        self.skip_bad_rows = skip_bad_rows
        self.progress = progress
        self.plan = ImportPlan(
            format=reading.format, contact_list=contact_list, skip_bad_rows=skip_bad_rows
        )
        self.errors: list[RowProblem] = []
        self.error_count = 0
        self.region = getattr(owner, "country", "") or "US"
        try:
            self.tz: dt.tzinfo = zoneinfo.ZoneInfo(owner.time_zone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.tz = dt.UTC
        self.aware_seen: dict[dt.datetime, dt.datetime] = {}
        self.texts: dict[str, str] = {}
        self.org_keys: dict[str, str] = {}
        self.org_refs: dict[str, int | str | None] = {}
        self.phone_seen: dict[str, str] = {}
        self.loaded_people = False
        self.loaded_orgs = False
        self.loaded_entries = False
        self.postings_by_source: dict[str, dict[str, tuple[int | None, dict[str, Any]]]] = {}
        self.pending_postings: dict[tuple[str, str], PostingWrite] = {}
        self.connected: list[tuple[Snap, dt.datetime, int]] = []
        self.done = 0

    # -- helpers ----------------------------------------------------------------

    def _aware(self, when: dt.datetime) -> dt.datetime:
        if when.tzinfo is not None:
            return when  # messages' own times: kept, and not memoised (they are unique)
        aware = self.aware_seen.get(when)  # an export repeats the same few thousand dates
        if aware is None:
            aware = when
            if when.time() == dt.time(0, 0):
                # A date alone: midday, so that no time zone moves the day.
                aware = when.replace(hour=12)
            aware = self.aware_seen[when] = aware.replace(tzinfo=self.tz)
        return aware

    def _org_key(self, name: str) -> str:
        # organisation_key runs cleanco, slow enough to matter 30,000 times; names repeat.
        key = self.org_keys.get(name)
        if key is None:
            key = self.org_keys[name] = organisation_key(name)
        return key

    def _phone(self, raw: str) -> str:
        number = self.phone_seen.get(raw)
        if number is None:
            number = self.phone_seen[raw] = normalise_phone(raw, self.region)
        return number

    def _problem(self, line: int, reason: str, *, value: bool = False) -> None:
        """A bad row, or a bad ``value`` in a good row: the file fails unless bad rows are
        skipped, and then the row (or only the value, the rest of the row imported) is
        left out and reported."""
        problem = RowProblem(line, reason, error=True)
        self.error_count += 1
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(problem)
        if value:
            reason = f"{reason} Left out; the rest of the row is imported."
        self.plan.skipped.append(RowProblem(line, reason, error=True))

    def _notice(self, line: int, text: str) -> None:
        self.plan.notices.append(RowProblem(line, text))

    def _fit(self, line: int, values: dict[str, Any]) -> None:
        """Cut text to its column's limit, saying so."""
        for name, value in values.items():
            limit = _LIMITS.get(name)
            if limit and isinstance(value, str) and len(value) > limit:
                values[name] = value[:limit].rstrip()
                self._notice(
                    line,
                    f"The {_FIELD_NAMES.get(name, name.replace('_', ' '))} has {len(value):,} "
                    f"characters; Grapevine keeps the first {limit}.",
                )

    # -- the run ------------------------------------------------------------------

    def run(self) -> ImportPlan:
        handlers = {
            PersonRow: self._person,
            OrganisationRow: self._organisation,
            EntryRow: self._entry,
            PostingRow: self._posting,
            RowProblem: self._row_problem,
        }
        any_row = False
        for item in self.reading.items:
            any_row = True
            handlers[type(item)](item)  # type: ignore[operator]
            self.done += 1
            if self.progress and self.done % 500 == 0:
                self.progress(self.done, None)
        if not any_row:
            raise BadFile("The file has a header but no rows: there is nothing to import.")
        if self.connected:
            self._connections()
        if self.errors and not self.skip_bad_rows:
            raise ImportFailed(self.errors)
        if self.progress:
            self.progress(self.done, self.done)
        return self.plan

    def _row_problem(self, problem: RowProblem) -> None:
        if problem.error:
            self._problem(problem.line, problem.reason)
            self.plan.rows.append(PlanRow(problem.line, "skip", "row", "", problem.reason))
        else:
            self.plan.skipped.append(problem)
            self.plan.count(PlanRow(problem.line, "skip", "row", "", problem.reason))

    # -- the owner's data, read once -------------------------------------------------

    def _load_organisations(self) -> None:
        self.loaded_orgs = True
        self.orgs: dict[str, int | str] = {}  # key → saved id, or the key of a new one
        self.org_names: dict[int | str, str] = {}
        self.new_orgs: dict[str, OrganisationWrite] = {}
        self.saved_orgs: dict[int, dict[str, Any]] = {}
        for row in selectors.organisations_for_matching(self.owner):
            self.orgs.setdefault(row["key"], row["id"])
            self.org_names[row["id"]] = row["name"]
            self.saved_orgs[row["id"]] = row
        for key, org_id in selectors.organisation_aliases_for_matching(self.owner):
            self.orgs.setdefault(key, org_id)

    def _load_people(self) -> None:
        self.loaded_people = True
        self.snaps: dict[int, Snap] = {}
        self.by_url: dict[str, Snap] = {}
        self.by_email: dict[str, list[Snap]] = {}
        self.by_phone: dict[str, list[Snap]] = {}
        self.by_name_org: dict[Any, list[Snap]] = {}
        self.by_name: dict[Any, list[Snap]] = {}
        self.by_full_name: dict[str, list[Snap]] | None = None  # made when an entry needs it
        self.new_snaps: list[Snap] = []
        self.found: dict[tuple[str, str], Snap | None] = {}  # _find's answers
        self.changes: dict[int, PersonWrite] = {}
        people = selectors.people_for_matching(self.owner)
        for pk, given, family, full, url, org_id, title, notes in people:
            self.snaps[pk] = Snap(
                pk,
                name_key(given, family, full),
                full,
                url,
                org_id,
                title,
                notes,
            )
        for pk, address in selectors.person_emails_for_matching(self.owner):
            snap = self.snaps[pk]
            snap.emails = (*snap.emails, address)
        for pk, number in selectors.person_phones_for_matching(self.owner):
            snap = self.snaps[pk]
            snap.phones = (*snap.phones, number)
        for pk, name in selectors.person_tags_for_matching(self.owner):
            snap = self.snaps[pk]
            snap.tags = (*snap.tags, name)
        for snap in self.snaps.values():
            self._index(snap, first_time=True)

    def _index(self, snap: Snap, *, first_time: bool = False) -> None:
        """Make ``snap`` findable; ``first_time``: it is in no bucket yet and its
        e-mails are distinct, so the membership checks (long lists for a common
        name) are skipped."""
        if snap.url:
            self.by_url.setdefault(snap.url, snap)
        for index, values in ((self.by_email, snap.emails), (self.by_phone, snap.phones)):
            for value in values:
                bucket = index.setdefault(value, [])
                if first_time or snap not in bucket:
                    bucket.append(snap)
        bucket = self.by_name_org.setdefault((snap.nkey, snap.org or 0), [])
        if first_time or snap not in bucket:
            bucket.append(snap)
        bucket = self.by_name.setdefault(snap.nkey, [])
        if first_time or snap not in bucket:
            bucket.append(snap)

    def _match(
        self, nkey: str, url: str, emails: list[str], phones: list[str], org: int | str
    ) -> tuple[Snap | None, str, Snap | None]:
        """(the person this row is, why, a namesake kept apart)."""
        if url and url in self.by_url:
            return self.by_url[url], "the same LinkedIn profile", None
        # Numbers match only when they are valid numbers (E.164): "123456" in two
        # cards says nothing about who they are.
        valid_phones = [n for n in phones if n.startswith("+")] if phones else phones
        for values, index, what in (
            (emails, self.by_email, "e-mail"),
            (valid_phones, self.by_phone, "phone number"),
        ):
            for value in values:
                for snap in index.get(value, ()):
                    if url and snap.url and snap.url != url:
                        continue
                    if names_compatible(nkey, snap.nkey):
                        return snap, f"the same name and {what} {value}", None
        # Same name (and organisation): the same person unless something tells them
        # apart; a namesake with other e-mails or phones is kept apart and listed.
        namesake = None
        for snap in self.by_name_org.get((nkey, org), ()):
            differs = _differs(snap, url, emails, phones)
            if not differs:
                return snap, "the same name" + (" and organisation" if org else ""), None
            if namesake is None and not differs.endswith("LinkedIn profile"):
                namesake = snap
        return None, "", namesake

    # -- people -------------------------------------------------------------------

    def _organisation_ref(self, line: int, raw: str) -> int | str | None:
        """The organisation called ``raw``: a saved one's id, or a new one's key."""
        found = self.org_refs.get(raw)  # an export names the same few thousand again and again
        if found is not None:
            return found
        found = self.org_refs[raw] = self._find_organisation(line, raw)
        return found

    def _find_organisation(self, line: int, raw: str) -> int | str | None:
        if not self.loaded_orgs:
            self._load_organisations()
        name = clean_text(raw)
        if len(name) > 200:
            self._notice(
                line,
                f"The organisation's name has {len(name):,} characters; Grapevine keeps the first 200.",
            )
            name = name[:200].rstrip()
        key = self._org_key(name)
        if not key:
            return None
        found = self.orgs.get(key)
        if found is None:
            # Kept as the file writes it ("Smith, Jones & Co", "ACME Corp."); the key
            # only matches.
            self.new_orgs[key] = write = OrganisationWrite(values={"name": name}, key=key)
            self.plan.organisations.append(write)
            self.orgs[key] = found = key
            self.org_names[key] = name
        return found

    def _names(self, row: PersonRow) -> dict[str, Any] | None:
        """The person's name fields: the display name as the file writes it (FN, a Name
        column), the parts for sorting and matching."""
        if row.given_name or row.family_name or row.middle_name:
            parts = quick_name(row) or parse_name(
                given=row.given_name, family=row.family_name, middle=row.middle_name
            )
            prefix = row.prefix
            suffix = ", ".join(s for s in (parts.suffix, row.suffix) if s)
            shown = row.full_name or parts.full_name
            if row.suffix and not row.full_name:
                shown = f"{shown}, {row.suffix}"
        elif row.full_name:
            parts = parse_name(row.full_name)
            prefix = row.prefix or parts.title_prefix
            suffix = ", ".join(s for s in (parts.suffix, row.suffix) if s)
            shown = row.full_name
        else:
            shown = row.nickname or (row.emails[0][0] if row.emails else "")
            if not shown:
                return None
            parts = NameParts(shown, "", "", "", "", "", "")
            prefix = suffix = ""
        return {
            "full_name": shown,
            "title_prefix": prefix,
            "given_name": parts.given_name,
            "middle_name": parts.middle_name,
            "family_name": parts.family_name,
            "suffix": suffix,
            "nickname": row.nickname or parts.nickname,
        }

    def _person(self, row: PersonRow) -> None:
        if not self.loaded_people:
            self._load_people()
        line = row.line
        for text in row.remarks:
            self._notice(line, text)
        for reason in row.dropped:
            self._problem(line, reason, value=True)
        names = self._names(row)
        if names is None:
            self._row_problem(RowProblem(line, "The row has no name."))
            return
        if (
            len(names["full_name"]) > 100
            or len(names["given_name"]) > 40
            or len(names["family_name"]) > 40
            or len(names["middle_name"]) > 40
            or len(names["title_prefix"]) > 40
            or len(names["suffix"]) > 40
            or len(names["nickname"]) > 40
        ):
            self._fit(line, names)  # not the usual row, which is nowhere near a limit
        if len(row.linkedin_url) > 300:
            self._notice(
                line, "The LinkedIn profile address is longer than 300 characters; it is left out."
            )
            row.linkedin_url = ""
        org = self._organisation_ref(line, row.organisation) if row.organisation else None
        nkey = name_key(names["given_name"], names["family_name"], names["full_name"])
        phones: list[tuple[str, str]] = []
        for raw, label in row.phones:
            number = self._phone(raw)
            if len(number) > 40:
                self._problem(line, f"“{raw[:60]}…” is too long for a phone number.", value=True)
            elif number and all(number != have for have, _label in phones):
                phones.append((number, label))
        emails = [address for address, _label in row.emails]
        numbers = [number for number, _label in phones]
        title = row.job_title
        if len(title) > 200:
            self._notice(
                line, f"The title has {len(title):,} characters; Grapevine keeps the first 200."
            )
            title = title[:200].rstrip()
        tags: list[str] = []
        for tag in row.tags:
            if len(tag) > 60:
                self._notice(line, f"The tag “{tag[:30]}…” is cut to 60 characters.")
                tag = tag[:60].rstrip()
            if tag.lower() not in {t.lower() for t in tags}:
                tags.append(tag)
        snap, why, namesake = self._match(nkey, row.linkedin_url, emails, numbers, org or 0)
        label = names["full_name"]
        if snap is None:
            snap = self._new_person(row, names, org, nkey, title, row.emails, phones, tags)
            why = "No one in your contacts has this LinkedIn profile, e-mail or name yet."
            if namesake is not None:
                other = f"line {namesake.line}" if namesake.pk is None else namesake.label
                differs = _differs(namesake, row.linkedin_url, emails, numbers)
                self.plan.duplicates.append((line, label, f"same name as {other}, {differs}"))
                why = f"Kept apart from {other} of the same name: {differs}."
            self.plan.count(PlanRow(line, "new", "person", label, why))
        elif snap.write is not None and snap.pk is None:
            added = self._merge_into_new(snap, row, org, title, row.emails, phones, tags)
            action = "update" if added else "same"
            what = f"The same person as line {snap.line} ({why})" + (
                f": adds {added}." if added else "."
            )
            self.plan.count(PlanRow(line, action, "person", label, what))
        else:
            added = self._update_existing(snap, row, org, title, row.emails, phones, tags)
            action = "update" if added else "same"
            what = f"Matched by {why}" + (f": {added}." if added else "; nothing new.")
            self.plan.count(PlanRow(line, action, "person", label, what))
        if row.connected_on is not None:
            self.connected.append((snap, self._aware(row.connected_on), line))

    def _new_person(
        self,
        row: PersonRow,
        names: dict[str, Any],
        org: int | str | None,
        nkey: str,
        title: str,
        emails: list[tuple[str, str]],
        phones: list[tuple[str, str]],
        tags: list[str],
    ) -> Snap:
        # Empty values are left out (the model's defaults): a smaller dict per person.
        values = {name: value for name, value in names.items() if value}
        values["contact_list"] = self.plan.contact_list
        if org is not None:
            values["organisation_id"] = org
        if title:
            values["job_title"] = title
        if row.linkedin_url:
            values["linkedin_url"] = row.linkedin_url
        if row.notes:
            values["notes"] = row.notes
        write = PersonWrite(
            values=values,
            emails=list(emails) if emails else None,
            phones=list(phones) if phones else None,
            tags=tags or None,
        )
        self.plan.people.append(write)
        snap = Snap(
            None,
            nkey,
            names["full_name"],
            row.linkedin_url,
            org,
            title,
            row.notes,
            tuple(a for a, _l in emails) if emails else (),
            tuple(n for n, _l in phones) if phones else (),
            tuple(tags),
            row.line,
            write,
        )
        self._index(snap, first_time=True)
        self.new_snaps.append(snap)
        self.found.clear()
        if self.by_full_name is not None:
            self.by_full_name.setdefault(name_key("", "", snap.label), []).append(snap)
        return snap

    def _merge_into_new(
        self,
        snap: Snap,
        row: PersonRow,
        org: int | str | None,
        title: str,
        emails: list[tuple[str, str]],
        phones: list[tuple[str, str]],
        tags: list[str],
    ) -> str:
        """The same person twice in one file: the second row adds what the first lacked."""
        write = snap.write
        assert write is not None
        added = []
        new_emails = [(a, lab) for a, lab in emails if a not in snap.emails]
        new_phones = [(n, lab) for n, lab in phones if n not in snap.phones]
        new_tags = [t for t in tags if t.lower() not in snap.tag_keys()]
        if new_emails:
            write.emails = [*(write.emails or []), *new_emails]
            snap.emails = (*snap.emails, *(a for a, _l in new_emails))
            added.append("e-mail " + ", ".join(a for a, _l in new_emails))
        if new_phones:
            write.phones = [*(write.phones or []), *new_phones]
            snap.phones = (*snap.phones, *(n for n, _l in new_phones))
            added.append("phone " + ", ".join(n for n, _l in new_phones))
        if new_tags:
            write.tags = [*(write.tags or []), *new_tags]
            snap.tags = (*snap.tags, *new_tags)
            added.append("tags " + ", ".join(new_tags))
        if org is not None and write.values.get("organisation_id") is None:
            write.values["organisation_id"] = snap.org = org
            added.append(f"organisation {self.org_names.get(org, '')}")
        if title and not write.values.get("job_title"):
            write.values["job_title"] = snap.title = title
            added.append(f"title {title}")
        if row.linkedin_url and not snap.url:
            snap.url = write.values["linkedin_url"] = row.linkedin_url
            added.append("LinkedIn profile")
        notes = write.values.get("notes", "")
        if row.notes and row.notes not in notes:
            write.values["notes"] = snap.notes = f"{notes}\n\n{row.notes}".strip()
            added.append("notes")
        self._index(snap)
        return "; ".join(added)

    def _update_existing(
        self,
        snap: Snap,
        row: PersonRow,
        org: int | str | None,
        title: str,
        emails: list[tuple[str, str]],
        phones: list[tuple[str, str]],
        tags: list[str],
    ) -> str:
        assert snap.pk is not None
        changes = []
        values: dict[str, Any] = {}
        if org is not None and org != snap.org:
            values["organisation_id"] = org
            changes.append(
                f"organisation {self.org_names.get(org, '')} (the old one is kept as past employment)"
            )
        if title and title != snap.title:
            values["job_title"] = title
            changes.append(f"title {title}")
        add_emails = [(a, lab) for a, lab in emails if a not in snap.emails]
        add_phones = [(n, lab) for n, lab in phones if n not in snap.phones]
        add_tags = [t for t in tags if t.lower() not in snap.tag_keys()]
        set_url = bool(row.linkedin_url) and not snap.url and row.linkedin_url not in self.by_url
        notes = row.notes.strip()
        if set_url:
            values["linkedin_url"] = row.linkedin_url
            changes.append("LinkedIn profile")
        if notes and notes not in snap.notes:
            values["notes"] = f"{snap.notes}\n\n{notes}".strip()
            changes.append("notes")
        if add_emails:
            changes.append("e-mail " + ", ".join(a for a, _l in add_emails))
        if add_phones:
            changes.append("phone " + ", ".join(n for n, _l in add_phones))
        if add_tags:
            changes.append("tags " + ", ".join(add_tags))
        if not changes:
            return ""
        write = self.changes.get(snap.pk)
        if write is None:
            write = self.changes[snap.pk] = PersonWrite(pk=snap.pk, values={})
            self.plan.people.append(write)
        write.values.update(values)
        if add_emails:
            kept = write.emails or [(a, None) for a in snap.emails]
            write.emails = [*kept, *add_emails]
            snap.emails = (*snap.emails, *(a for a, _l in add_emails))
        if add_phones:
            kept_phones = write.phones or [(n, None) for n in snap.phones]
            write.phones = [*kept_phones, *add_phones]
            snap.phones = (*snap.phones, *(n for n, _l in add_phones))
        if add_tags:
            snap.tags = (*snap.tags, *add_tags)
            write.tags = list(snap.tags)
        snap.org = values.get("organisation_id", snap.org)
        snap.title = values.get("job_title", snap.title)
        snap.url = values.get("linkedin_url", snap.url)
        snap.notes = values.get("notes", snap.notes)
        self._index(snap)
        return "adds " + "; ".join(changes)

    # -- organisations ----------------------------------------------------------------

    def _organisation(self, row: OrganisationRow) -> None:
        if not self.loaded_orgs:
            self._load_organisations()
        line = row.line
        for text in row.remarks:
            self._notice(line, text)
        for reason in row.dropped:
            self._problem(line, reason, value=True)
        found_before = self._org_key(clean_text(row.name)[:200]) in self.orgs
        ref = self._organisation_ref(line, row.name)
        if ref is None:
            self._row_problem(RowProblem(line, "The organisation has no name."))
            return
        fill: dict[str, Any] = {}
        email = row.emails[0][0] if row.emails else ""
        phone = self._phone(row.phones[0][0]) if row.phones else ""
        if len(phone) > 40:
            self._problem(line, f"“{phone[:60]}…” is too long for a phone number.", value=True)
            phone = ""
        website = row.website if len(row.website) <= 300 else ""
        for name, value in (
            ("email", email),
            ("phone", phone),
            ("website", website),
            ("notes", row.notes),
        ):
            if value:
                fill[name] = value
        if "website" in fill:
            fill["domain"] = domain_from_website(fill["website"])
        label = self.org_names.get(ref, row.name)
        if isinstance(ref, str):  # new in this file
            write = self.new_orgs[ref]
            for name, value in fill.items():
                write.values.setdefault(name, value)
            if found_before:
                self.plan.count(
                    PlanRow(line, "same", "organisation", label, "Already in this file.")
                )
            else:
                self.plan.count(
                    PlanRow(
                        line,
                        "new",
                        "organisation",
                        label,
                        "A company card, not a person: an organisation.",
                    )
                )
            return
        saved = self.saved_orgs.get(ref, {})
        missing = {k: v for k, v in fill.items() if not saved.get(k)}
        if not missing:
            self.plan.count(
                PlanRow(line, "same", "organisation", label, "Already in your organisations.")
            )
            return
        saved.update(missing)
        change = next((w for w in self.plan.organisations if w.pk == ref), None)
        if change is None:
            change = OrganisationWrite(values={}, pk=ref)
            self.plan.organisations.append(change)
        change.values.update(missing)
        shown = ", ".join(k for k in missing if k != "domain")
        self.plan.count(PlanRow(line, "update", "organisation", label, f"Adds its {shown}."))

    # -- journal ------------------------------------------------------------------

    def _load_entry_keys(self) -> None:
        self.loaded_entries = True
        self.entry_keys = selectors.entry_keys_for_matching(self.owner)

    def _find(self, name: str, url: str) -> Snap | None:
        """The one person an entry names: by profile, else by the whole name (three or
        more words are never split wrongly this way), else by given and family name."""
        key = (name, url)
        if key in self.found:  # a messages file names the same people again and again
            return self.found[key]
        found = self.found[key] = self._find_person(name, url)
        return found

    def _find_person(self, name: str, url: str) -> Snap | None:
        if url and url in self.by_url:
            return self.by_url[url]
        if not name:
            return None
        if self.by_full_name is None:
            self.by_full_name = {}
            for snap in [*self.snaps.values(), *self.new_snaps]:
                self.by_full_name.setdefault(name_key("", "", snap.label), []).append(snap)
        whole = name_key("", "", name)
        for candidates in (self.by_full_name.get(whole, ()), self.by_name.get(whole, ())):
            if len(candidates) == 1:  # a name two people share links to neither
                return candidates[0]
        if whole.count(" ") < 2:
            return None  # one or two words: the given and family name were tried just now
        parts = parse_name(name)
        candidates = self.by_name.get(
            name_key(parts.given_name, parts.family_name, parts.full_name), []
        )
        if len(candidates) == 1:
            return candidates[0]
        return None

    def _entry(self, row: EntryRow) -> None:
        if not self.loaded_people:
            self._load_people()
        if not self.loaded_entries:
            self._load_entry_keys()
        key = (row.source, row.external_key[:200])
        subject = row.subject[:300]
        if key in self.entry_keys:
            self.plan.count(PlanRow(row.line, "same", "entry", subject, "Imported before."))
            return
        self.entry_keys.add(key)
        snaps = list(
            dict.fromkeys(
                s for ref in row.people if (s := self._find(ref.name, ref.linkedin_url)) is not None
            )
        )
        who = ", ".join(s.label for s in snaps) or "no one in your contacts"
        why = f"{row.occurred_at:%Y-%m-%d}, with {who}."
        why = self.texts.setdefault(why, why)  # one string for the rows that say the same
        subject = self.texts.setdefault(subject, subject)
        self._add_entry(
            EntryWrite(
                kind=row.kind,
                occurred_at=self._aware(row.occurred_at),
                source=row.source,
                external_key=row.external_key[:200],
                subject=subject,
                notes=row.notes,
            ),
            snaps,
        )
        self.plan.count(PlanRow(row.line, "new", "entry", subject, why))

    def _add_entry(self, entry: EntryWrite, snaps: list[Snap]) -> None:
        self.plan.entries.append(entry)
        self.plan.entry_people.append(
            [s.pk if s.pk is not None else s.write for s in snaps]  # type: ignore[misc]
        )
        self.plan.entry_orgs.append(snaps[0].org if len(snaps) == 1 else None)

    def _connections(self) -> None:
        """LinkedIn's "Connected On": one journal entry per connection, once."""
        if not self.loaded_entries:
            self._load_entry_keys()
        for snap, when, _line in self.connected:
            key = f"connected:{snap.url or snap.nkey}"[:200]
            if ("linkedin:connections", key) in self.entry_keys:
                continue
            self.entry_keys.add(("linkedin:connections", key))
            self._add_entry(
                EntryWrite(
                    kind=Kind.CONNECTED,
                    occurred_at=when,
                    subject="Connected on LinkedIn",
                    source="linkedin:connections",
                    external_key=key,
                ),
                [snap],
            )

    # -- postings -------------------------------------------------------------------

    def _posting(self, row: PostingRow) -> None:
        line = row.line
        for text in row.remarks:
            self._notice(line, text)
        values: dict[str, Any] = {
            "title": row.title,
            "company_name": row.company_name,
            "description": row.description,
            "location": row.location,
            "url": row.url,
            "posted_at": self._aware(row.posted_at) if row.posted_at else None,
            "remote": row.remote,
            "work_type": row.work_type,
        }
        for name, limit in (
            ("title", 300),
            ("company_name", 200),
            ("location", 200),
            ("work_type", 40),
        ):
            if len(values[name]) > limit:
                self._notice(
                    line, f"The posting's {name.replace('_', ' ')} is cut to {limit} characters."
                )
                values[name] = values[name][:limit].rstrip()
        if len(values["url"]) > 500:
            self._notice(line, "The posting's link is longer than 500 characters; it is left out.")
            values["url"] = ""
        values["organisation_id"] = (
            self._organisation_ref(line, row.company_name) if row.company_name else None
        )
        external_id = (
            row.external_id if len(row.external_id) <= 100 else "id:" + _digest(row.external_id)
        )
        existing = self.postings_by_source.get(row.source)
        if existing is None:
            existing = self.postings_by_source[row.source] = selectors.postings_for_matching(
                self.owner, row.source
            )
        label = row.label[:300]
        pending = self.pending_postings.get((row.source, external_id))
        if pending is not None:
            differs = [n for n, v in values.items() if pending.values.get(n) != v]
            pending.values.update(values)
            action = "update" if differs else "same"
            self.plan.count(PlanRow(line, action, "posting", label, "Again in this file."))
            return
        saved = existing.get(external_id)
        if saved is None:
            write = PostingWrite(source=row.source, external_id=external_id, values=values)
            self.plan.count(PlanRow(line, "new", "posting", label, row.location))
        else:
            pk, before = saved
            differs = [n for n in POSTING_FIELDS if before.get(n) != values[n]]
            if values["organisation_id"] is None:
                differs = [d for d in differs if d != "organisation_id"]
                values["organisation_id"] = before.get("organisation_id")
            if not differs:
                self.plan.count(
                    PlanRow(line, "same", "posting", label, "Imported before; nothing changed.")
                )
                return
            write = PostingWrite(source=row.source, external_id=external_id, values=values, pk=pk)
            shown = ", ".join(d.replace("_id", "").replace("_", " ") for d in differs)
            self.plan.count(PlanRow(line, "update", "posting", label, f"Changed: {shown}."))
        self.pending_postings[(row.source, external_id)] = write
        self.plan.postings.append(write)


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def plan_build(
    owner: User,
    reading: Reading,
    *,
    contact_list: str = ContactList.B,
    skip_bad_rows: bool = False,
    progress: Progress | None = None,
    with_basis: bool = False,
) -> ImportPlan:
    """What importing ``reading`` for ``owner`` would do; reads, never writes.

    ``BadFile`` for a file that cannot be read, ``ImportFailed`` for bad rows without
    ``skip_bad_rows``. ``with_basis``: note the state of the owner's data, so that
    ``plan_apply`` later refuses to apply the plan to data that changed since.
    """
    contact_list = (contact_list or ContactList.B).upper()
    if contact_list not in ContactList.values:
        raise BadFile("The list must be A (personal), B (professional) or C (target) — R2.")
    with cyclic_gc_paused():
        basis = selectors.data_version(owner) if with_basis else []
        plan = Planner(
            owner,
            reading,
            contact_list=contact_list,
            skip_bad_rows=skip_bad_rows,
            progress=progress,
        ).run()
        plan.basis = basis
    return plan


# ---------------------------------------------------------------------------
# Applying the plan
# ---------------------------------------------------------------------------


def plan_apply(owner: User, plan: ImportPlan) -> ImportPlan:
    """Write exactly ``plan`` for ``owner``, in one transaction; ``PlanStale`` (and
    nothing written) when the owner's data changed after the plan was read."""
    with cyclic_gc_paused(), sqlite_cache_enlarged(), transaction.atomic():
        if plan.basis and plan.basis != selectors.data_version(owner):
            raise PlanStale(
                "Your contacts changed since this preview was made: here is the preview again."
            )
        organisations_write(owner, plan.organisations)
        org_ids = {w.key: w.pk for w in plan.organisations if w.key}

        def org_id(ref: int | str | None) -> int | None:
            return org_ids[ref] if isinstance(ref, str) else ref

        for write in plan.people:
            ref = write.values.get("organisation_id")
            if isinstance(ref, str):
                write.values["organisation_id"] = org_ids[ref]
        people_write(owner, plan.people, changed_on=timezone.localdate())
        for entry, people, org in zip(
            plan.entries, plan.entry_people, plan.entry_orgs, strict=True
        ):
            entry.person_ids = [p if isinstance(p, int) else p.pk for p in people]  # type: ignore[misc]
            entry.organisation_id = org_id(org)
        entries_create_many(owner, plan.entries)
        for posting in plan.postings:
            posting.values["organisation_id"] = org_id(posting.values.get("organisation_id"))
        postings_write(owner, plan.postings)
    plan.applied = True
    return plan


# ---------------------------------------------------------------------------
# Storing the plan between the preview and the confirmation (JSON lines)
# ---------------------------------------------------------------------------


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def plan_dump(plan: ImportPlan, out: IO[str]) -> None:
    """Write ``plan`` as JSON lines: a header, then one line per row and per write."""
    people_index = {id(w): i for i, w in enumerate(plan.people)}
    header = {
        "version": PLAN_VERSION,
        "format": plan.format,
        "contact_list": plan.contact_list,
        "skip_bad_rows": plan.skip_bad_rows,
        "counts": [plan.created, plan.updated, plan.unchanged],
        "skipped": [[p.line, p.reason, p.error] for p in plan.skipped],
        "notices": [[p.line, p.reason] for p in plan.notices],
        "duplicates": plan.duplicates,
        "basis": plan.basis,
        "sizes": [
            len(plan.rows),
            len(plan.organisations),
            len(plan.people),
            len(plan.entries),
            len(plan.postings),
        ],
    }
    dumps = json.dumps
    out.write(dumps(header, default=str) + "\n")
    for r in plan.rows:
        out.write(dumps([r.line, r.action, r.what, r.label, r.why]) + "\n")
    for o in plan.organisations:
        out.write(dumps([o.pk, o.key, o.values]) + "\n")
    for w in plan.people:
        out.write(dumps([w.pk, w.values, w.emails, w.phones, w.tags]) + "\n")
    for e, people, org in zip(plan.entries, plan.entry_people, plan.entry_orgs, strict=True):
        refs = [p if isinstance(p, int) else -1 - people_index[id(p)] for p in people]
        out.write(
            dumps(
                [
                    e.kind,
                    _when(e.occurred_at),
                    e.source,
                    e.external_key,
                    e.subject,
                    e.notes,
                    refs,
                    org,
                ]
            )
            + "\n"
        )
    for p in plan.postings:
        values = dict(p.values, posted_at=_when(p.values.get("posted_at")))
        out.write(dumps([p.pk, p.source, p.external_id, values]) + "\n")


def plan_header(lines: Iterator[str]) -> dict[str, Any]:
    header = json.loads(next(lines))
    if header.get("version") != PLAN_VERSION:
        raise BadFile(
            "This preview was made by another version of Grapevine: upload the file again."
        )
    return header


def plan_load(lines: Iterable[str]) -> ImportPlan:
    """The plan ``plan_dump`` wrote."""
    stream = iter(lines)
    header = plan_header(stream)
    plan = ImportPlan(
        format=header["format"],
        contact_list=header["contact_list"],
        skip_bad_rows=header["skip_bad_rows"],
    )
    plan.created, plan.updated, plan.unchanged = header["counts"]
    plan.skipped = [RowProblem(line, reason, error) for line, reason, error in header["skipped"]]
    plan.notices = [RowProblem(line, reason) for line, reason in header["notices"]]
    plan.duplicates = [(line, who, why) for line, who, why in header["duplicates"]]
    plan.basis = header["basis"]
    n_rows, n_orgs, n_people, n_entries, n_postings = header["sizes"]
    loads = json.loads
    for _ in range(n_rows):
        plan.rows.append(PlanRow(*loads(next(stream))))
    for _ in range(n_orgs):
        pk, key, values = loads(next(stream))
        plan.organisations.append(OrganisationWrite(values=values, key=key, pk=pk))
    for _ in range(n_people):
        pk, values, emails, phones, tags = loads(next(stream))
        plan.people.append(
            PersonWrite(
                values=values,
                pk=pk,
                emails=[(a, label) for a, label in emails] if emails is not None else None,
                phones=[(n, label) for n, label in phones] if phones is not None else None,
                tags=tags,
            )
        )
    for _ in range(n_entries):
        kind, when, source, key, subject, notes, refs, org = loads(next(stream))
        plan.entries.append(
            EntryWrite(
                kind=kind,
                occurred_at=dt.datetime.fromisoformat(when),
                source=source,
                external_key=key,
                subject=subject,
                notes=notes,
            )
        )
        plan.entry_people.append([r if r >= 0 else plan.people[-1 - r] for r in refs])
        plan.entry_orgs.append(org)
    for _ in range(n_postings):
        pk, source, external_id, values = loads(next(stream))
        if values.get("posted_at"):
            values["posted_at"] = dt.datetime.fromisoformat(values["posted_at"])
        plan.postings.append(
            PostingWrite(source=source, external_id=external_id, values=values, pk=pk)
        )
    return plan


def plan_rows(
    lines: Iterator[str], *, start: int, stop: int, action: str = ""
) -> tuple[list[PlanRow], int]:
    """Rows ``start``…``stop`` of a stored plan (those with ``action``, if given) and
    how many such rows there are, reading only the rows' part of the file."""
    header = plan_header(lines)
    found: list[PlanRow] = []
    total = 0
    for _ in range(header["sizes"][0]):
        text = next(lines)
        if action and f'"{action}"' not in text:
            continue
        row = PlanRow(*json.loads(text))
        if action and row.action != action:
            continue
        if start <= total < stop:
            found.append(row)
        total += 1
    return found, total


__all__ = [
    "ImportFailed",
    "ImportPlan",
    "ImportResult",
    "Item",
    "PlanRow",
    "PlanStale",
    "Planner",
    "plan_apply",
    "plan_build",
    "plan_dump",
    "plan_load",
    "plan_rows",
]

# Model names the docstring mentions, kept importable for the tests' type hints.
_MODELS = (Organisation, PersonEmail, PersonPhone)
