"""LinkedIn exports: Connections.csv (every variant since 2018), Invitations.csv, messages.csv."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterator

from grapevine.contacts.normalise import canonical_linkedin_url, clean_text
from grapevine.journal.models import Kind
from grapevine.transfer.formats.base import (
    BadRow,
    EntryRow,
    Item,
    PersonRef,
    PersonRow,
    Row,
    RowProblem,
    checked_email,
    clean_multiline,
    has_control_characters,
    is_blank,
    parse_when,
)
from grapevine.transfer.formats.layouts import CsvInput, Layout, register

SOURCE = "linkedin"


def _key(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()


def already_clean(cells: list[str]) -> bool:
    """Every cell is what ``clean_text`` would make of it (printable, NFC, no space at
    either end or twice): true of most rows, and one test instead of one per cell."""
    joined = "|".join(cells)
    return (
        joined.isprintable()
        and "  " not in joined
        and " |" not in joined
        and "| " not in joined
        and not joined.startswith(" ")
        and not joined.endswith(" ")
        and (joined.isascii() or unicodedata.is_normalized("NFC", joined))
    )


_CONNECTION_COLUMNS = (
    "first name",
    "last name",
    "connected on",
    "url",
    "profile url",
    "email address",
    "e mail address",
    "company",
    "position",
)
CONTROL_REMOVED = "Control characters in this row were removed."


def parse_connections(source: CsvInput) -> Iterator[Item]:
    """Connections.csv. Reads cells by position (a ``Row`` per line costs more than the
    rest of the parsing for 30,000 rows); a column a variant lacks reads as empty."""
    clean = clean_text
    index = source.index
    # -1: the empty cell appended to every row, for a column this file lacks.
    columns = [index.get(name, -1) for name in _CONNECTION_COLUMNS]
    width = max(columns) + 1
    first, last, connected_on, url_1, url_2, email_1, email_2, company, position = columns
    for line, cells in source.rows():
        if is_blank(cells):
            continue
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        cells.append("")
        remarks = []
        if not already_clean(cells):
            if has_control_characters("".join(cells)):
                remarks.append(CONTROL_REMOVED)
            cells = [clean(c) for c in cells]
        given, family = cells[first], cells[last]
        if not given and not family:
            # A connection who left LinkedIn keeps only the date.
            yield RowProblem(line, "No name, only a date: a connection who left LinkedIn.")
            continue
        try:
            when_text = cells[connected_on]
            connected = parse_when(when_text, "“Connected On”") if when_text else None
        except BadRow as exc:
            yield RowProblem(line, str(exc), error=True)
            continue
        person = PersonRow(
            line=line,
            given_name=given,
            family_name=family,
            organisation=cells[company],
            job_title=cells[position],
            connected_on=connected,
            remarks=remarks,
        )
        raw_url = cells[url_1] or cells[url_2]
        if raw_url:
            url = canonical_linkedin_url(raw_url)
            if url:
                person.linkedin_url = url
            else:
                person.dropped.append(f"“{raw_url[:200]}” is not a LinkedIn profile address.")
        raw_email = cells[email_1] or cells[email_2]
        # 2018 exports put "urn:li:member:123" where the address is hidden: not an address.
        if raw_email and not raw_email.lower().startswith("urn:"):
            try:
                person.emails.append((checked_email(raw_email), ""))
            except BadRow as exc:
                person.dropped.append(str(exc))
        yield person


def parse_invitations(source: CsvInput) -> Iterator[Item]:
    for line, cells in source.rows():
        row = Row(source.index, cells)
        if row.is_blank():
            continue
        try:
            sent_at = parse_when(row.get("sent at"), "“Sent At”")
        except BadRow as exc:
            yield RowProblem(line, str(exc), error=True)
            continue
        outgoing = row.get("direction").upper() != "INCOMING"
        if outgoing:
            name, url = row.get("to"), row.get("inviteeprofileurl", "invitee profile url")
            kind, subject = Kind.MESSAGE_SENT, f"LinkedIn invitation sent to {name}"
        else:
            name, url = row.get("from"), row.get("inviterprofileurl", "inviter profile url")
            kind, subject = Kind.MESSAGE_RECEIVED, f"LinkedIn invitation from {name}"
        yield EntryRow(
            line=line,
            kind=kind,
            occurred_at=sent_at,
            source=f"{SOURCE}:invitations",
            external_key=_key(
                "invitation", "out" if outgoing else "in", name, url, sent_at.isoformat()
            ),
            subject=subject,
            notes=row.raw("message"),
            people=[PersonRef(name=name, linkedin_url=canonical_linkedin_url(url))],
        )


def _is_yes(value: str) -> bool:
    return value.strip().lower() in {"yes", "true", "1"}


def parse_messages(source: CsvInput) -> Iterator[Item]:
    """messages.csv: 2024 headers (with TO and RECIPIENT PROFILE URLS) and older ones.

    Which side is the account holder is not written down: it is the one person who
    takes part in the most conversations (every conversation includes them). Files
    without a DIRECTION column are read twice for it: once for the conversations'
    people (names only), once for the messages — never held whole.
    """
    index = source.index
    me = ""
    if "direction" not in index:
        conversations: dict[str, set[str]] = {}
        for line, cells in source.rows():
            row = Row(index, cells)
            if row.is_blank() or _is_yes(row.get("is message draft")):
                continue
            conversation = row.get("conversation id") or f"line-{line}"
            people = conversations.setdefault(conversation, set())
            people.add(_who(row.get("from")))
            for name in _split_names(row.get("to")):
                people.add(_who(name))
        presence: Counter[str] = Counter()
        for people in conversations.values():
            presence.update(people)
        del conversations
        me = presence.most_common(1)[0][0] if presence else ""
    for line, cells in source.rows():
        row = Row(index, cells)
        if row.is_blank():
            continue
        if _is_yes(row.get("is message draft")):
            yield RowProblem(line, "A draft that was never sent.")
            continue
        try:
            when = parse_when(row.get("date"), "“DATE”")
        except BadRow as exc:
            yield RowProblem(line, str(exc), error=True)
            continue
        sender, sender_url = row.get("from"), row.get("sender profile url")
        direction = row.get("direction").upper()
        outgoing = direction == "OUTGOING" if direction else _who(sender) == me
        if outgoing:
            names = _split_names(row.get("to"))
            urls = [u for u in row.get("recipient profile urls").split(",") if u.strip()]
            refs = [
                PersonRef(
                    name=n, linkedin_url=canonical_linkedin_url(urls[i]) if i < len(urls) else ""
                )
                for i, n in enumerate(names)
            ] or [PersonRef(linkedin_url=canonical_linkedin_url(u)) for u in urls]
            kind, subject = Kind.MESSAGE_SENT, f"LinkedIn message to {row.get('to')}"
        else:
            refs = [PersonRef(name=sender, linkedin_url=canonical_linkedin_url(sender_url))]
            kind, subject = Kind.MESSAGE_RECEIVED, f"LinkedIn message from {sender}"
        if row.get("subject"):
            subject = f"{subject}: {row.get('subject')}"
        content = row.raw("content")
        yield EntryRow(
            line=line,
            kind=kind,
            occurred_at=when,
            source=f"{SOURCE}:messages",
            external_key=_key(row.get("conversation id"), when.isoformat(), sender, content[:200]),
            subject=clean_text(subject),
            notes=content,
            people=refs,
        )


def _who(name: str) -> str:
    return clean_text(name).lower()


def _split_names(value: str) -> list[str]:
    return [clean_text(n) for n in value.split(",") if clean_text(n)] if value else []


register(
    Layout(
        name="linkedin-connections",
        order=10,
        matches=lambda c: (
            {"first name", "last name"} <= c.keys() and ("connected on" in c or "position" in c)
        ),
        parse=parse_connections,
    ),
    Layout(
        name="linkedin-invitations",
        order=11,
        matches=lambda c: {"from", "to", "sent at"} <= c.keys(),
        parse=parse_invitations,
    ),
    Layout(
        name="linkedin-messages",
        order=12,
        matches=lambda c: {"from", "date", "content"} <= c.keys(),
        parse=parse_messages,
    ),
)

__all__ = ["clean_multiline", "parse_connections", "parse_invitations", "parse_messages"]
