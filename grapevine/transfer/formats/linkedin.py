"""LinkedIn exports: Connections.csv (every variant since 2018), Invitations.csv, messages.csv."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterator

from grapevine.contacts.normalise import canonical_linkedin_url, clean_text
from grapevine.journal.models import Kind
from grapevine.transfer.formats.base import (
    BadFile,
    BadRow,
    EntryRow,
    ParsedFile,
    PersonRef,
    PersonRow,
    Row,
    RowProblem,
    checked_email,
    csv_rows,
    header_index,
    is_blank,
    parse_when,
)

SOURCE = "linkedin"


def _key(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()


def _rows_after_header(text: str, must_have: tuple[str, ...]) -> Iterator[tuple[int, Row]]:
    """Skip any preamble (2022+ exports start with "Notes:" and a paragraph) up to the header."""
    index: dict[str, int] | None = None
    for line, cells in csv_rows(text):
        if index is None:
            candidate = header_index(cells)
            if all(name in candidate for name in must_have):
                index = candidate
            continue
        yield line, Row(index, cells)
    if index is None:
        raise BadFile("The file has no header row with " + ", ".join(must_have) + ".")


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


def parse_connections(text: str) -> ParsedFile:
    """Connections.csv. Reads cells by position (a ``Row`` per line costs more than the
    rest of the parsing for 30,000 rows); a column a variant lacks reads as empty."""
    parsed = ParsedFile(format="linkedin-connections")
    people = parsed.people
    clean = clean_text
    columns: list[int] = []
    width = 0
    for line, cells in csv_rows(text):
        if not columns:
            index = header_index(cells)
            if "first name" in index and "last name" in index:
                # -1: the empty cell appended to every row, for a column this file lacks.
                columns = [
                    index.get(name, -1)
                    for name in (
                        "first name",
                        "last name",
                        "connected on",
                        "url",
                        "profile url",
                        "email address",
                        "e-mail address",
                        "company",
                        "position",
                    )
                ]
                width = max(columns) + 1
            continue
        if is_blank(cells):
            continue
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        cells.append("")
        if not already_clean(cells):
            cells = [clean(c) for c in cells]
        first, last, connected_on, url_1, url_2, email_1, email_2, company, position = columns
        given, family = cells[first], cells[last]
        try:
            when_text = cells[connected_on]
            connected = parse_when(when_text, "“Connected On”") if when_text else None
            if not given and not family:
                # A connection who left LinkedIn keeps only the date.
                parsed.skipped.append(
                    RowProblem(line, "No name, only a date: a connection who left LinkedIn.")
                )
                continue
            raw_url = cells[url_1] or cells[url_2]
            url = canonical_linkedin_url(raw_url) if raw_url else ""
            if raw_url and not url:
                raise BadRow(f"“{raw_url}” is not a LinkedIn profile address.")
            raw_email = cells[email_1] or cells[email_2]
            emails = []
            # 2018 exports put "urn:li:member:123" where the address is hidden: not an address.
            if raw_email and not raw_email.lower().startswith("urn:"):
                emails.append(checked_email(raw_email))
        except BadRow as exc:
            parsed.errors.append(RowProblem(line, str(exc)))
            continue
        people.append(
            PersonRow(
                line=line,
                given_name=given,
                family_name=family,
                organisation=cells[company],
                job_title=cells[position],
                emails=emails,
                linkedin_url=url,
                connected_on=connected,
            )
        )
    if not columns:
        raise BadFile("The file has no header row with first name, last name.")
    return parsed


def parse_invitations(text: str) -> ParsedFile:
    parsed = ParsedFile(format="linkedin-invitations")
    for line, row in _rows_after_header(text, ("from", "to", "sent at")):
        if row.is_blank():
            continue
        try:
            sent_at = parse_when(row.get("sent at"), "“Sent At”")
        except BadRow as exc:
            parsed.errors.append(RowProblem(line, str(exc)))
            continue
        outgoing = row.get("direction").upper() != "INCOMING"
        if outgoing:
            name, url = row.get("to"), row.get("inviteeprofileurl")
            kind, subject = Kind.MESSAGE_SENT, f"LinkedIn invitation sent to {row.get('to')}"
        else:
            name, url = row.get("from"), row.get("inviterprofileurl")
            kind, subject = Kind.MESSAGE_RECEIVED, f"LinkedIn invitation from {row.get('from')}"
        parsed.entries.append(
            EntryRow(
                line=line,
                kind=kind,
                occurred_at=sent_at,
                source=f"{SOURCE}:invitations",
                external_key=_key(
                    "invitation", "out" if outgoing else "in", name, url, sent_at.isoformat()
                ),
                subject=subject[:300],
                notes=row.raw("message"),
                people=[PersonRef(name=name, linkedin_url=canonical_linkedin_url(url))],
            )
        )
    return parsed


def _is_yes(value: str) -> bool:
    return value.strip().lower() in {"yes", "true", "1"}


def parse_messages(text: str) -> ParsedFile:
    """messages.csv: 2024 headers (with TO and RECIPIENT PROFILE URLS) and older ones.

    Which side is the account holder is not written down: it is the one person who
    takes part in the most conversations (every conversation includes them).
    """
    parsed = ParsedFile(format="linkedin-messages")
    rows: list[tuple[int, Row]] = []
    presence: Counter[str] = Counter()
    for line, row in _rows_after_header(text, ("from", "date", "content")):
        if row.is_blank():
            continue
        if _is_yes(row.get("is message draft")):
            parsed.skipped.append(RowProblem(line, "A draft that was never sent."))
            continue
        rows.append((line, row))
    conversations: dict[str, set[str]] = {}
    for line, row in rows:
        conversation = row.get("conversation id") or f"line-{line}"
        people = conversations.setdefault(conversation, set())
        people.add(_who(row.get("from")))
        for name in _split_names(row.get("to")):
            people.add(_who(name))
    for people in conversations.values():
        presence.update(people)
    me = presence.most_common(1)[0][0] if presence else ""
    for line, row in rows:
        try:
            when = parse_when(row.get("date"), "“DATE”")
        except BadRow as exc:
            parsed.errors.append(RowProblem(line, str(exc)))
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
        parsed.entries.append(
            EntryRow(
                line=line,
                kind=kind,
                occurred_at=when,
                source=f"{SOURCE}:messages",
                external_key=_key(
                    row.get("conversation id"), when.isoformat(), sender, content[:200]
                ),
                subject=clean_text(subject)[:300],
                notes=content,
                people=refs,
            )
        )
    return parsed


def _who(name: str) -> str:
    return clean_text(name).lower()


def _split_names(value: str) -> list[str]:
    return [clean_text(n) for n in value.split(",") if clean_text(n)] if value else []
