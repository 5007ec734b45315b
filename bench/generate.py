"""A reproducible contact book for benchmarks: one owner, people on lists A/B/C,
organisations (some with aliases), titles, e-mails, tags, who-referred-whom and a journal.

    python -m bench.generate --contacts 30000 --seed 1 --data-dir /tmp/gv-bench

The same seed gives the same rows (public ids included). Rows are written with
``bulk_create`` for speed; ``Person.search_text`` comes from the same function the
services use (``search_text_from_values``), so search behaves as on real data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grapevine.accounts.models import User


def _words(text: str) -> list[str]:
    return text.split()


GIVEN_NAMES = _words(
    """
Aaliyah Adam Adebayo Aiko Aisha Alejandro Alex Ali Amara Amelia Ana Andrea Anna Arjun Astrid
Beatriz Ben Bilal Camille Carlos Carmen Chen Chloe Daniel David Deepa Diego Dmitri Elena Elif
Emma Emeka Eva Fatima Felix Fiona Francesca Gabriel Grace Hana Hannah Hiroshi Ibrahim Ines Ingrid
Isabel Ivan Jack Jamal James Jana Javier Jin Joao John Jonas Jose Julia Kai Karim Kate Kenji
Kofi Lars Laura Leila Lena Liam Lin Lucas Lucia Luis Maja Malik Marco Maria Mariam Marta Mateo
Mei Mia Michael Miguel Mohammed Nadia Naomi Nina Noah Olga Omar Oscar Paolo Priya Rafael Rahul
Rania Ravi Rosa Sakura Samuel Sara Sebastian Sofia Sven Tariq Thomas Tomas Valentina Victor
Wei Yara Yusuf Zainab Zoe
"""
)

FAMILY_NAMES = _words(
    """
Abe Adeyemi Ahmed Alvarez Andersen Bauer Becker Bianchi Brown Campbell Castro Chen Costa Cruz
Dubois Eriksson Fernandez Fischer Garcia Gonzalez Gupta Hansen Hernandez Hoffmann Horvat
Ivanova Jansen Jensen Johansson Jones Kaur Khan Kim Kowalski Kumar Larsen Laurent Lee Lehmann
Lopez Martin Martinez Meyer Moreau Morris Muller Murphy Nakamura Nguyen Nielsen Novak Okafor
Olsen Owusu Park Patel Perez Petrov Popescu Rahman Ramirez Reyes Ricci Rivera Roberts Rodriguez
Romano Rossi Russo Sanchez Santos Sato Schmidt Schneider Silva Singh Smith Sokolov Suzuki Tanaka
Taylor Torres Tran Visser Vargas Wagner Walker Wang Weber Williams Wilson Wong Yamamoto Yilmaz
Zhang Zimmermann
"""
)

ORG_FIRST = _words(
    """
Acme Alder Apex Atlas Aurora Beacon Blue Bright Cedar Cobalt Crest Delta Echo Ember Evergreen
Falcon Fjord Granite Harbor Horizon Iris Juniper Keystone Lumen Maple Meridian Nimbus North
Oak Orbit Pioneer Polar Quartz Radiant River Sage Silver Solstice Summit Tidal Vertex Willow
"""
)
ORG_SECOND = _words(
    """
Analytics Bank Bio Capital Care Cloud Consulting Dynamics Energy Engineering Foods Health
Insurance Labs Logistics Media Motors Networks Partners Pharma Retail Robotics Software Systems
Telecom Travel Ventures
"""
)
LEGAL_SUFFIXES = ["", "", "", "Inc.", "Ltd", "LLC", "GmbH", "SA", "Corp.", "plc", "AB"]

TITLES = [
    "Software Engineer", "Senior Software Engineer", "Engineering Manager", "Data Scientist",
    "Product Manager", "Product Designer", "Head of Product", "CTO", "CFO", "Controller",
    "Financial Analyst", "Accountant", "Auditor", "HR Business Partner", "Talent Acquisition Lead",
    "Recruiter", "Marketing Manager", "Brand Manager", "Sales Director", "Account Executive",
    "Customer Success Manager", "Operations Manager", "Supply Chain Analyst", "Project Manager",
    "Consultant", "Partner", "Research Scientist", "Nurse", "Physician", "Teacher", "Professor",
    "Lawyer", "Paralegal", "Architect", "Civil Engineer", "Mechanical Engineer", "Designer",
    "Journalist", "Editor", "Founder", "CEO", "VP Engineering", "Director of Finance",
]  # fmt: skip

TAGS = [
    "fintech", "healthcare", "alumni", "conference", "mentor", "recruiter", "startup", "volunteer",
    "running club", "neighbour", "family", "former colleague", "university", "meetup", "climate",
    "open source", "design", "marketing", "finance", "hiring manager", "board member", "church",
    "parents", "chess club", "book club",
]  # fmt: skip

FREE_MAIL = ["example.com", "example.net", "example.org", "mail.example"]


@dataclass
class Generated:
    owner_email: str
    people: int
    organisations: int
    aliases: int
    emails: int
    tag_links: int
    referrals: int
    journal_entries: int
    seconds: float


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _when(rng: random.Random, now: dt.datetime, days: int = 730) -> dt.datetime:
    return now - dt.timedelta(seconds=rng.randrange(days * 86400))


def _organisations(
    owner: User, rng: random.Random, count: int
) -> tuple[list[Any], list[list[str]]]:
    """Organisations with unique keys, and the names (own name, then aliases) of each."""
    from grapevine.contacts.models import Organisation, OrganisationAlias
    from grapevine.contacts.normalise import organisation_key

    orgs: list[Organisation] = []
    names: list[list[str]] = []
    keys: set[str] = set()
    attempts = 0
    while len(orgs) < count:
        attempts += 1
        if attempts > count * 50:
            raise SystemExit(f"Could not make {count} distinct organisation names; ask for fewer.")
        base = f"{rng.choice(ORG_FIRST)} {rng.choice(ORG_SECOND)}"
        if attempts > len(ORG_FIRST) * len(ORG_SECOND):
            base = f"{base} {rng.choice(ORG_FIRST)}"  # more names than pairs: a third word
        name = f"{base} {rng.choice(LEGAL_SUFFIXES)}".strip()
        key = organisation_key(name)
        if not key or key in keys:
            continue
        keys.add(key)
        website = f"https://www.{_slug(base)}.example"
        orgs.append(
            Organisation(
                owner=owner,
                public_id=_uuid(rng),
                name=name,
                key=key,
                website=website,
                domain=website.removeprefix("https://www."),
            )
        )
        names.append([name])
    Organisation.objects.bulk_create(orgs, batch_size=1000)

    aliases: list[OrganisationAlias] = []
    for org, org_names in zip(orgs, names, strict=True):
        if rng.random() < 0.1:
            alias = "".join(word[0] for word in org.key.split()).upper() + " Group"
            key = organisation_key(alias)
            if key and key not in keys:
                keys.add(key)
                aliases.append(
                    OrganisationAlias(
                        owner=owner, public_id=_uuid(rng), organisation=org, name=alias, key=key
                    )
                )
                org_names.append(alias)
    OrganisationAlias.objects.bulk_create(aliases, batch_size=1000)
    return orgs, names


def generate(
    *,
    contacts: int,
    seed: int = 1,
    orgs: int | None = None,
    journal: int | None = None,
    email: str = "bench@example.org",
    replace: bool = False,
    say: Any = print,
) -> Generated:
    """Write one owner's contact book; Django must be set up and migrated."""
    from django.db import transaction
    from django.utils import timezone

    from grapevine.accounts.models import User
    from grapevine.contacts.models import (
        Closeness,
        ContactList,
        MetContext,
        Person,
        PersonEmail,
        Referral,
        Tag,
    )
    from grapevine.contacts.services import search_text_from_values
    from grapevine.journal.models import Entry, Kind

    started = time.perf_counter()
    rng = random.Random(seed)
    org_count = orgs if orgs is not None else max(1, contacts // 20)
    entry_count = journal if journal is not None else contacts

    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if not replace:
            raise SystemExit(
                f"{email} already has an account here: use --replace to start it again, or another --data-dir."
            )
        say(f"Deleting the previous data of {email}…")
        existing.delete()

    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        owner = User.objects.create_user(email=email)  # no password: the bench signs in directly

        step = time.perf_counter()
        organisations, org_names = _organisations(owner, rng, org_count)
        say(f"  {len(organisations):>7,} organisations in {time.perf_counter() - step:.1f} s")

        step = time.perf_counter()
        tags = [Tag(owner=owner, public_id=_uuid(rng), name=name) for name in TAGS]
        Tag.objects.bulk_create(tags)

        people: list[Person] = []
        emails: list[tuple[int, str]] = []  # (index of person, address)
        person_tags: list[tuple[int, int]] = []  # (index of person, index of tag)
        lists = [ContactList.A, ContactList.B, ContactList.C]
        closeness = list(Closeness.values)
        met = [m for m in MetContext.values if m]
        seen_addresses: set[str] = set()
        for index in range(contacts):
            given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
            full_name = f"{given} {family}"
            contact_list = rng.choices(lists, weights=[15, 45, 40])[0]
            org_index = rng.randrange(len(organisations)) if rng.random() < 0.85 else None
            title = rng.choice(TITLES) if org_index is not None or rng.random() < 0.3 else ""
            addresses: list[str] = []
            if rng.random() < 0.7:
                domain = (
                    organisations[org_index].domain
                    if org_index is not None and rng.random() < 0.6
                    else rng.choice(FREE_MAIL)
                )
                address = f"{_slug(given)}.{_slug(family)}@{domain}"
                if address in seen_addresses:
                    address = f"{_slug(given)}.{_slug(family)}{index}@{domain}"
                seen_addresses.add(address)
                addresses.append(address)
            tag_indexes = rng.sample(range(len(tags)), k=rng.choice([0, 0, 0, 1, 1, 2]))
            people.append(
                Person(
                    owner=owner,
                    public_id=_uuid(rng),
                    full_name=full_name,
                    given_name=given,
                    family_name=family,
                    contact_list=contact_list,
                    organisation=organisations[org_index] if org_index is not None else None,
                    job_title=title,
                    closeness=rng.choice(closeness),
                    met_context=rng.choice(met) if rng.random() < 0.5 else "",
                    is_decision_maker=rng.random() < 0.05,
                    search_text=search_text_from_values(
                        full_name=full_name,
                        job_title=title,
                        organisation_names=org_names[org_index] if org_index is not None else (),
                        emails=addresses,
                        tags=[
                            tags[t].name for t in sorted(tag_indexes, key=lambda t: tags[t].name)
                        ],
                    ),
                )
            )
            emails.extend((index, address) for address in addresses)
            person_tags.extend((index, t) for t in tag_indexes)
        Person.objects.bulk_create(people, batch_size=1000)
        PersonEmail.objects.bulk_create(
            [PersonEmail(person=people[i], address=address) for i, address in emails],
            batch_size=2000,
        )
        through = Person.tags.through
        through.objects.bulk_create(
            [through(person_id=people[i].pk, tag_id=tags[t].pk) for i, t in person_tags],
            batch_size=2000,
        )
        say(f"  {len(people):>7,} people in {time.perf_counter() - step:.1f} s")

        step = time.perf_counter()
        referrals: list[Referral] = []
        pairs: set[tuple[int, int]] = set()
        for _ in range(int(contacts * 0.3)):
            referrer, referred = rng.randrange(contacts), rng.randrange(contacts)
            if referrer == referred or (referrer, referred) in pairs:
                continue
            pairs.add((referrer, referred))
            referrals.append(
                Referral(
                    owner=owner,
                    public_id=_uuid(rng),
                    referrer=people[referrer],
                    referred=people[referred],
                    referred_on=_when(rng, now).date(),
                    reason=rng.choice(
                        ["", "knows the sector well", "is hiring soon", "ran that project"]
                    ),
                    may_use_name=rng.random() < 0.6,
                    will_introduce=rng.random() < 0.3,
                )
            )
        Referral.objects.bulk_create(referrals, batch_size=1000)
        say(f"  {len(referrals):>7,} referrals in {time.perf_counter() - step:.1f} s")

        step = time.perf_counter()
        kinds = list(Kind.values)
        entries: list[Entry] = []
        entry_people: list[tuple[int, int]] = []
        for index in range(entry_count):
            who = rng.sample(range(contacts), k=1 if rng.random() < 0.85 else min(2, contacts))
            first = people[who[0]]
            entries.append(
                Entry(
                    owner=owner,
                    public_id=_uuid(rng),
                    kind=rng.choice(kinds),
                    occurred_at=_when(rng, now),
                    organisation=first.organisation,
                    subject=rng.choice(["", "Coffee", "Follow-up", "Introduction", "Thanks"]),
                )
            )
            entry_people.extend((index, p) for p in who)
        Entry.objects.bulk_create(entries, batch_size=1000)
        entry_through = Entry.people.through
        entry_through.objects.bulk_create(
            [
                entry_through(entry_id=entries[e].pk, person_id=people[p].pk)
                for e, p in entry_people
            ],
            batch_size=2000,
        )
        say(f"  {len(entries):>7,} journal entries in {time.perf_counter() - step:.1f} s")

    return Generated(
        owner_email=owner.email,
        people=len(people),
        organisations=len(organisations),
        aliases=sum(len(n) - 1 for n in org_names),
        emails=len(emails),
        tag_links=len(person_tags),
        referrals=len(referrals),
        journal_entries=len(entries),
        seconds=time.perf_counter() - started,
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description="Fill a Grapevine data folder with a reproducible contact book for benchmarks.",
    )
    parser.add_argument(
        "--contacts", type=int, default=30000, help="people to create (default 30000)"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="random seed: same seed, same data (default 1)"
    )
    parser.add_argument(
        "--orgs", type=int, default=None, help="organisations (default contacts / 20)"
    )
    parser.add_argument(
        "--journal", type=int, default=None, help="journal entries (default = contacts)"
    )
    parser.add_argument("--email", default="bench@example.org", help="the owner's e-mail address")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="data folder to fill (default: GRAPEVINE_DATA_DIR, else your own data folder)",
    )
    parser.add_argument(
        "--replace", action="store_true", help="delete that owner's earlier data first"
    )
    args = parser.parse_args(argv)
    if args.contacts < 1:
        parser.error("--contacts must be at least 1")
    if args.orgs is not None and args.orgs < 1:
        parser.error("--orgs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    from bench import setup_django

    setup_django(args.data_dir)
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print(f"Generating {args.contacts:,} contacts (seed {args.seed}) in {settings.DATA_DIR}")
    result = generate(
        contacts=args.contacts,
        seed=args.seed,
        orgs=args.orgs,
        journal=args.journal,
        email=args.email,
        replace=args.replace,
    )
    print(
        f"Done in {result.seconds:.1f} s: {result.people:,} people, {result.organisations:,} organisations "
        f"({result.aliases:,} aliases), {result.emails:,} e-mails, {result.referrals:,} referrals, "
        f"{result.journal_entries:,} journal entries, owned by {result.owner_email}."
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
