"""`grapevine contacts …` and `grapevine orgs …`: the contact book from a terminal (R2, R7)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import typer
from django.db import transaction

from grapevine.accounts.models import User
from grapevine.contacts.models import Closeness, ContactList, Organisation, Person, Seniority
from grapevine.contacts.selectors import (
    organisation_list,
    person_find_by_name,
    person_get,
    person_list,
    person_referral_chain,
    person_referred_edges,
    person_referrer_edges,
    referrers_by_person,
)
from grapevine.contacts.services import (
    PersonData,
    organisation_find,
    person_create,
    person_set_list,
    person_set_standing,
    referral_create,
)
from grapevine.core.cli import (
    BadOption,
    CommandFailed,
    JsonOption,
    UserOption,
    acting_user,
    print_json,
    print_table,
    say,
)

contacts_app = typer.Typer(
    no_args_is_help=True, help="Add, list and show people on lists A, B and C (R2)."
)
orgs_app = typer.Typer(
    no_args_is_help=True, help="List organisations and how many people you know there."
)

LIST_NAMES = {"A": "personal", "B": "professional", "C": "target"}
ListOption = Annotated[
    str | None,
    typer.Option(
        "--list",
        "-l",
        metavar="A|B|C",
        help="A personal, B professional, C target (R2).",
        show_default=False,
    ),
]


# ---------------------------------------------------------------------------
# Finding people by what a user types
# ---------------------------------------------------------------------------


def contact_list_from_option(value: str | None) -> str | None:
    if value is None:
        return None
    letter = value.strip().upper()
    if letter not in ContactList.values:
        raise BadOption(
            f"There is no list “{value}”: use A (personal), B (professional) or C (target) — R2."
        )
    return letter


def _label(person: Person) -> str:
    org = f", {person.organisation.name}" if person.organisation_id and person.organisation else ""
    return f"{person.full_name} (list {person.contact_list}{org}; id {person.public_id})"


def person_by_name_or_id(owner: User, name_or_id: str, *, role: str = "person") -> Person:
    """Exactly one person of ``owner`` named ``name_or_id`` (or with that public id).

    Unknown or ambiguous names fail with the candidates, so nothing is guessed.
    """
    text = name_or_id.strip()
    try:
        public_id = uuid.UUID(text)
    except ValueError:
        public_id = None
    if public_id is not None:
        return person_get(owner, public_id)  # 404 → "No such person in your contact book."
    found = person_find_by_name(owner, text)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        candidates = "; ".join(_label(p) for p in found[:10])
        raise CommandFailed(
            f"{len(found)} people are called “{text}”: give the {role}'s id instead — {candidates}."
        )
    similar = list(person_list(owner, query=text)[:5])
    if similar:
        candidates = "; ".join(_label(p) for p in similar)
        raise CommandFailed(
            f"Nobody called “{text}” in your contact book; did you mean one of: {candidates}?"
        )
    raise CommandFailed(
        f"Nobody called “{text}” in your contact book: add them first with `grapevine contacts add`."
    )


# ---------------------------------------------------------------------------
# JSON shapes
# ---------------------------------------------------------------------------


def _person_ref(person: Person) -> dict[str, str]:
    return {"public_id": str(person.public_id), "full_name": person.full_name}


def person_as_json(person: Person, referrers: list[Person]) -> dict[str, Any]:
    org = person.organisation if person.organisation_id else None
    return {
        "public_id": str(person.public_id),
        "full_name": person.full_name,
        "list": person.contact_list,
        "organisation": org.name if org else None,
        "organisation_public_id": str(org.public_id) if org else None,
        "title": person.job_title,
        "emails": [e.address for e in person.emails.all()],
        "tags": [t.name for t in person.tags.all()],
        "referred_by": [_person_ref(r) for r in referrers],
        "seniority": person.seniority or None,
        "closeness": person.closeness,
        "decision_maker": person.is_decision_maker,
    }


# ---------------------------------------------------------------------------
# contacts add / list / show
# ---------------------------------------------------------------------------


@contacts_app.command("add")
def add(
    name: Annotated[
        str, typer.Argument(help="Full name, as you would write it: “Dr Ana Lopez, CPA”.")
    ],
    contact_list: ListOption = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Organisation they work at (created when new).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Their job title.")] = None,
    email: Annotated[
        list[str] | None, typer.Option("--email", help="An e-mail address (repeat for several).")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="A tag (repeat for several).")
    ] = None,
    referred_by: Annotated[
        str | None,
        typer.Option(
            "--referred-by",
            metavar="NAME",
            help="Who introduced you to them (a name or id already in your contacts) — R7.",
        ),
    ] = None,
    reason: Annotated[
        str, typer.Option(help="With --referred-by: why the referrer thinks you should meet (R7).")
    ] = "",
    notes: Annotated[str, typer.Option(help="Notes (markdown).")] = "",
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a person to your contact book, on list B unless you say otherwise."""
    owner = acting_user(user)
    letter = contact_list_from_option(contact_list) or ContactList.B
    referrer = person_by_name_or_id(owner, referred_by, role="referrer") if referred_by else None
    namesakes = person_find_by_name(owner, name)
    with transaction.atomic():  # the person and the referral are stored together or not at all
        person = person_create(
            owner,
            PersonData(
                full_name=name,
                contact_list=letter,
                organisation_name=org,
                job_title=title,
                emails=email or (),
                tags=tag or None,
                notes=notes,
            ),
        )
        if referrer is not None:
            referral_create(owner, referrer=referrer, referred=person, reason=reason)
    person = person_get(owner, person.public_id)
    referrers = [referrer] if referrer else []
    if namesakes:
        # On stderr, so --json output stays one JSON document.
        typer.echo(
            f"Note: you now have {len(namesakes) + 1} people called “{person.full_name}”; "
            "use their ids to tell them apart — " + "; ".join(_label(p) for p in namesakes) + ".",
            err=True,
        )
    if as_json:
        print_json(person_as_json(person, referrers))
        return
    where = f" at {person.organisation.name}" if person.organisation else ""
    via = f", referred by {referrer.full_name}" if referrer else ""
    say(
        f"Added {person.full_name} to list {person.contact_list}{where}{via}. Id: {person.public_id}"
    )


@contacts_app.command("list")
def list_people(
    contact_list: ListOption = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Only people at this organisation (name or alias).")
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-q", help="Words to find in name, organisation, title, e-mail or tags."
        ),
    ] = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """List people, optionally one list (A, B, C) or one organisation."""
    owner = acting_user(user)
    letter = contact_list_from_option(contact_list)
    organisation: Organisation | None = None
    if org:
        organisation = organisation_find(owner, org)
        if organisation is None:
            raise CommandFailed(f"No organisation called “{org}” in your contact book.")
    people_qs = person_list(owner, contact_list=letter, organisation=organisation, query=search)
    # In chunks: each chunk's prefetch stays under SQLite's limit on query parameters.
    people = list(people_qs.iterator(chunk_size=2000))
    referrers = referrers_by_person(owner)
    if as_json:
        print_json([person_as_json(p, referrers.get(p.pk, [])) for p in people])
        return
    if not people:
        if letter or organisation or search:
            say(
                "Nobody matches. Try without filters, or add someone with `grapevine contacts add NAME`."
            )
        else:
            say(
                "Your contact book is empty: start with list A, people you know well (R3) — "
                "`grapevine contacts add NAME --list A`."
            )
        return
    print_table(
        f"{len(people)} {'person' if len(people) == 1 else 'people'}",
        ["Name", "List", "Organisation", "Title", "E-mail", "Referred by"],
        (
            [
                p.full_name,
                p.contact_list,
                p.organisation.name if p.organisation else "",
                p.job_title,
                p.primary_email,
                ", ".join(r.full_name for r in referrers.get(p.pk, [])),
            ]
            for p in people
        ),
    )


@contacts_app.command("show")
def show(
    name_or_id: Annotated[
        str, typer.Argument(metavar="NAME_OR_ID", help="Full name or public id.")
    ],
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one person: who referred them, whom they referred you to, and the chain back (R7, R12)."""
    owner = acting_user(user)
    person = person_by_name_or_id(owner, name_or_id)
    referred_by = list(person_referrer_edges(person))
    referred = list(person_referred_edges(person))
    chain = person_referral_chain(person)
    if as_json:
        data = person_as_json(person, [edge.referrer for edge in referred_by])
        data.update(
            {
                "phones": [p.number for p in person.phones.all()],
                "notes": person.notes,
                "referrals_received": [
                    {
                        "public_id": str(edge.public_id),
                        "referrer": _person_ref(edge.referrer),
                        "referred_on": edge.referred_on.isoformat(),
                        "reason": edge.reason,
                        "reported_back": edge.reported_back_at is not None,
                    }
                    for edge in referred_by
                ],
                "referred_you_to": [_person_ref(edge.referred) for edge in referred],
                "chain": [_person_ref(p) for p in chain],
            }
        )
        print_json(data)
        return
    lines = [f"{person.full_name} — list {person.contact_list} ({LIST_NAMES[person.contact_list]})"]
    if person.job_title or person.organisation:
        at = f" at {person.organisation.name}" if person.organisation else ""
        lines.append(f"{person.job_title or 'Works'}{at}")
    emails = [e.address for e in person.emails.all()]
    if emails:
        lines.append("E-mail: " + ", ".join(emails))
    for edge in referred_by:
        reason = f" — “{edge.reason}”" if edge.reason else ""
        reported = "reported back" if edge.reported_back_at else "not reported back yet (R12)"
        lines.append(
            f"Referred by {edge.referrer.full_name} on {edge.referred_on:%Y-%m-%d}{reason}; {reported}"
        )
    if referred:
        lines.append("Referred you to: " + ", ".join(edge.referred.full_name for edge in referred))
    if len(chain) > 1:
        lines.append("Chain: " + " → ".join(p.full_name for p in chain))
    lines.append(f"Id: {person.public_id}")
    for line in lines:
        say(line)


@contacts_app.command("set")
def set_person(
    name_or_id: Annotated[
        str, typer.Argument(metavar="NAME_OR_ID", help="Full name or public id.")
    ],
    seniority: Annotated[
        str | None,
        typer.Option(
            metavar="LEVEL",
            help=f"{', '.join(v for v in Seniority.values if v)} — or “unknown” (R3: start modest).",
            show_default=False,
        ),
    ] = None,
    closeness: Annotated[
        str | None,
        typer.Option(
            metavar="TIER",
            help=f"{', '.join(Closeness.values)}: how often to keep in touch (R14).",
            show_default=False,
        ),
    ] = None,
    decision_maker: Annotated[
        bool | None,
        typer.Option(
            "--decision-maker/--not-decision-maker",
            help="Whether they decide on hiring where they work (R18).",
            show_default=False,
        ),
    ] = None,
    contact_list: ListOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Set a person's seniority, closeness, decision-maker flag or list; only what you give changes."""
    if seniority is None and closeness is None and decision_maker is None and contact_list is None:
        raise BadOption(
            "Say what to set: --seniority, --closeness, --decision-maker/--not-decision-maker "
            "or --list."
        )
    owner = acting_user(user)
    person = person_by_name_or_id(owner, name_or_id)
    letter = contact_list_from_option(contact_list)
    level = None if seniority is None else seniority.strip().lower()
    if level == "unknown":
        level = ""
    with transaction.atomic():  # all of it or none of it
        person_set_standing(
            person,
            seniority=level,
            closeness=None if closeness is None else closeness.strip().lower(),
            is_decision_maker=decision_maker,
        )
        if letter and letter != person.contact_list:
            person_set_list(person, letter)
    person = person_get(owner, person.public_id)
    if as_json:
        print_json(person_as_json(person, [e.referrer for e in person_referrer_edges(person)]))
        return
    parts = [
        f"seniority {person.get_seniority_display().lower()}",
        f"closeness {person.get_closeness_display().lower()}",
        "a decision maker" if person.is_decision_maker else "not a decision maker",
        f"list {person.contact_list}",
    ]
    say(f"{person.full_name}: {', '.join(parts)}.")


# ---------------------------------------------------------------------------
# orgs list
# ---------------------------------------------------------------------------


@orgs_app.command("list")
def list_orgs(
    search: Annotated[
        str | None, typer.Option("--search", "-q", help="Part of a name or alias.")
    ] = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """List organisations with their aliases and how many of your people work there."""
    owner = acting_user(user)
    orgs = list(organisation_list(owner, query=search))
    if as_json:
        print_json(
            [
                {
                    "public_id": str(o.public_id),
                    "name": o.name,
                    "aliases": [a.name for a in o.aliases.all()],
                    "people": o.people_count,  # type: ignore[attr-defined]
                    "website": o.website,
                }
                for o in orgs
            ]
        )
        return
    if not orgs:
        say("No organisations yet: they appear when you add a person with --org.")
        return
    print_table(
        f"{len(orgs)} organisation(s)",
        ["Name", "Also known as", "People"],
        (
            [o.name, ", ".join(a.name for a in o.aliases.all()), o.people_count]  # type: ignore[attr-defined]
            for o in orgs
        ),
    )
