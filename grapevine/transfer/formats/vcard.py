"""vCard 2.1, 3.0 and 4.0 in, as phones and mail clients really write them.

vobject does the parsing; this module first fixes what real files get wrong for it:
quoted-printable values with soft line breaks (even inside a multi-byte character),
2.1 ``CHARSET`` parameters, embedded photos and keys that are not folded, blank lines.
Only the properties Grapevine keeps are passed on, one card at a time, so one broken
card is one bad row, not a broken file.
"""

from __future__ import annotations

import quopri
import re
from typing import Any

import vobject

from grapevine.contacts.normalise import canonical_linkedin_url, clean_text
from grapevine.transfer.formats.base import (
    BadFile,
    BadRow,
    ParsedFile,
    PersonRow,
    RowProblem,
    checked_email,
)

KEPT = {
    "VERSION",
    "N",
    "FN",
    "NICKNAME",
    "ORG",
    "TITLE",
    "EMAIL",
    "TEL",
    "URL",
    "NOTE",
    "CATEGORIES",
}
_PROPERTY = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z][A-Za-z0-9-]*)[;:]")
_EMAILISH = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


def _logical_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Unfold lines: RFC folding (a leading space) and quoted-printable soft breaks (a trailing =).

    Continuation lines of a property that is not kept (a PHOTO, a KEY in base64 that
    2.1 writers do not fold) are dropped with it.
    """
    out: list[tuple[int, str]] = []
    in_qp = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            in_qp = False
            continue
        if in_qp and out:
            start, text = out[-1]
            out[-1] = (start, text[:-1] + line)  # drop the soft-break "="
            in_qp = line.endswith("=")
            continue
        if line[0] in " \t" and out:
            start, text = out[-1]
            out[-1] = (start, text + line[1:])
            continue
        if not _PROPERTY.match(line) and out:
            # Base64 written without folding: belongs to the previous property.
            start, text = out[-1]
            out[-1] = (start, text + line)
            continue
        out.append((number, line))
        head = line.split(":", 1)[0].upper()
        in_qp = "QUOTED-PRINTABLE" in head and line.endswith("=")
    return out


def _decode_property(line: str) -> str | None:
    """The property as plain vCard 3.0 text vobject reads, or None when Grapevine ignores it."""
    head, sep, value = line.partition(":")
    if not sep:
        return None
    match = _PROPERTY.match(line)
    if not match or match.group(1).upper() not in KEPT:
        return None
    params = head.split(";")
    upper = [p.upper() for p in params]
    charset = "utf-8"
    for p in upper:
        if p.startswith("CHARSET="):
            charset = p.split("=", 1)[1].strip('"') or "utf-8"
    if any(p in ("ENCODING=QUOTED-PRINTABLE", "QUOTED-PRINTABLE") for p in upper):
        raw = quopri.decodestring(value.encode("latin-1", "replace"))
        try:
            value = raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            value = raw.decode("utf-8", "replace")
        # Back to vCard text: line breaks escaped (the separators ; stay as written).
        value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    kept = [
        p
        for p, u in zip(params, upper, strict=True)
        if not u.startswith(("CHARSET=", "ENCODING=")) and u != "QUOTED-PRINTABLE"
    ]
    # 2.1 bare types ("TEL;CELL;PREF") become TYPE= parameters.
    kept = [kept[0]] + [p if "=" in p else f"TYPE={p}" for p in kept[1:]]
    return ";".join(kept) + ":" + value


def _cards(text: str) -> list[tuple[int, list[str]]]:
    cards: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    start = 0
    for number, line in _logical_lines(text.splitlines()):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            current, start = [], number
            continue
        if upper == "END:VCARD":
            if current is not None:
                cards.append((start, current))
            current = None
            continue
        if current is not None:
            decoded = _decode_property(line)
            if decoded is not None:
                current.append(decoded)
    return cards


def _values(card: Any, name: str) -> list[Any]:
    return [c.value for c in card.contents.get(name.lower(), [])]


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return clean_text(str(value)) if value is not None else ""


def _person(line: int, card: Any) -> PersonRow:
    person = PersonRow(line=line)
    names = _values(card, "n")
    if names:
        n = names[0]
        person.given_name = _text(getattr(n, "given", ""))
        person.middle_name = (
            _text(getattr(n, "additional", "")).replace(",", " ").replace("  ", " ")
        )
        person.family_name = _text(getattr(n, "family", ""))
        person.suffix = _text(getattr(n, "suffix", ""))
    formatted = _values(card, "fn")
    if not (person.given_name or person.family_name) and formatted:
        person.full_name = _text(formatted[0])
    nicknames = _values(card, "nickname")
    if nicknames:
        person.nickname = _text(nicknames[0]).split(",")[0].strip()
    orgs = _values(card, "org")
    if orgs:
        org = orgs[0]
        person.organisation = _text(org[0] if isinstance(org, list) and org else org)
    titles = _values(card, "title")
    if titles:
        person.job_title = _text(titles[0])
    unreadable: list[str] = []
    for value in _values(card, "email"):
        text = _text(value)
        match = _EMAILISH.search(text)
        if not text:
            continue
        try:
            if not match:
                raise BadRow(text)
            address = checked_email(match.group(0))
        except BadRow:
            # Phones write junk here (Android's test cards do); keep it where a human sees it.
            unreadable.append(text)
            continue
        if address not in person.emails:
            person.emails.append(address)
    for value in _values(card, "tel"):
        number = _text(value).removeprefix("tel:")
        if number and number not in person.phones:
            person.phones.append(number)
    for value in _values(card, "url"):
        url = canonical_linkedin_url(_text(value))
        if url:
            person.linkedin_url = url
            break
    notes = [str(v).strip() for v in _values(card, "note") if str(v).strip()]
    if unreadable:
        notes.append("E-mail as written in the card (not an address): " + ", ".join(unreadable))
    person.notes = "\n\n".join(notes)
    for value in _values(card, "categories"):
        for item in value if isinstance(value, list) else [value]:
            for tag in str(item).split(","):
                tag = clean_text(tag)
                if tag and tag not in person.tags:
                    person.tags.append(tag)
    if not (person.given_name or person.family_name or person.full_name):
        person.full_name = person.organisation or (person.emails[0] if person.emails else "")
    return person


def parse_vcard(text: str) -> ParsedFile:
    parsed = ParsedFile(format="vcard")
    cards = _cards(text)
    if not cards:
        raise BadFile("The file has no BEGIN:VCARD … END:VCARD card in it.")
    for line, properties in cards:
        body = "\r\n".join(["BEGIN:VCARD", *properties, "END:VCARD"]) + "\r\n"
        try:
            card = vobject.readOne(body, ignoreUnreadable=True)
            person = _person(line, card)
        except BadRow as exc:
            parsed.errors.append(RowProblem(line, str(exc)))
            continue
        except Exception as exc:  # vobject raises many kinds; one card is one bad row
            parsed.errors.append(
                RowProblem(line, f"This card cannot be read ({exc.__class__.__name__}).")
            )
            continue
        if not person.full_name and not (person.given_name or person.family_name):
            parsed.skipped.append(
                RowProblem(line, "The card has no name, organisation or e-mail address.")
            )
            continue
        parsed.people.append(person)
    return parsed
