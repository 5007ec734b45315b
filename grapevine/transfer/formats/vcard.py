"""vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350) in, as phones and mail clients write them.

The file is read as bytes, a line at a time, because its characters may not be one
encoding: vCard 2.1 declares a charset per property (``N;CHARSET=SHIFT_JIS:…``), and
writers fold lines, or break quoted-printable lines, in the middle of a multi-byte
character. So lines are unfolded as bytes first, quoted-printable is decoded as bytes,
and only then is each value decoded: by its declared CHARSET, else by the file's
encoding (BOM, UTF-8, or charset-normalizer — see ``text``). A UTF-16 or UTF-32 file
is decoded whole first (its CHARSET parameters cannot be true).

Values are split and unescaped by RFC 6350's rules (";" between components, "," in
lists, backslash escapes) with the leniency real files need: Outlook writes
"ORG:Company, The" with a bare comma, which stays part of the name.

A card is a person, an organisation (KIND:org, Apple's X-ABShowAs:COMPANY, or no
person's name but an ORG), or nothing to import (KIND:group, Apple's
X-ADDRESSBOOKSERVER-KIND:group, a card with no name at all).
"""

from __future__ import annotations

import codecs
import io
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from grapevine.contacts.normalise import canonical_linkedin_url, clean_text
from grapevine.transfer.formats.base import (
    BadFile,
    Item,
    OrganisationRow,
    PersonRow,
    RowProblem,
    add_email,
    clean_multiline,
    has_control_characters,
)
from grapevine.transfer.formats.names import compose_name
from grapevine.transfer.formats.source import Source
from grapevine.transfer.formats.text import Encoding, detect_encoding

ADVICE = "export the contacts again as a vCard (.vcf) file."
KEPT = {
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
    "KIND",
    "X-ADDRESSBOOKSERVER-KIND",
    "X-ABSHOWAS",
    "X-ABLABEL",
    "MEMBER",
    "X-ADDRESSBOOKSERVER-MEMBER",
}
_NAME = re.compile(rb"^(?:([A-Za-z0-9-]+)\.)?([A-Za-z][A-Za-z0-9-]*)(?=[;:])")

# vCard TYPE values → the label Grapevine keeps, in the order labels are written.
_TYPE_LABELS = {
    "home": "home",
    "work": "work",
    "other": "other",
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "fax": "fax",
    "pager": "pager",
    "car": "car",
    "main": "main",
    "video": "video",
    "text": "text",
}
_LABEL_ORDER = list(dict.fromkeys(_TYPE_LABELS.values()))


@dataclass(slots=True)
class Property:
    group: str
    name: str
    params: list[tuple[str, str]]  # (NAME upper, value as written); bare 2.1 types: ("TYPE", v)
    value: str  # decoded text, still escaped


@dataclass
class Card:
    line: int
    properties: list[Property] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def all(self, name: str) -> list[Property]:
        return [p for p in self.properties if p.name == name]

    def first(self, name: str) -> Property | None:
        return next((p for p in self.properties if p.name == name), None)


# ---------------------------------------------------------------------------
# Lines, properties and cards, as bytes
# ---------------------------------------------------------------------------


def _physical_lines(stream: BinaryIO, wide: str | None) -> Iterator[tuple[int, bytes]]:
    if wide:
        text = io.TextIOWrapper(stream, encoding=wide, errors="strict", newline="")
        for number, line in enumerate(text, start=1):
            yield number, line.rstrip("\r\n").encode("utf-8")
        return
    for number, raw in enumerate(stream, start=1):
        yield number, raw.rstrip(b"\r\n")


def _logical_lines(lines: Iterator[tuple[int, bytes]]) -> Iterator[tuple[int, bytes]]:
    """Unfold: RFC folding (a leading space or tab) and quoted-printable soft breaks (a
    trailing "="), joined as bytes. Lines of properties Grapevine ignores (a PHOTO's
    base64, which 2.1 writers do not fold) are not kept at all."""
    start, parts, keep, in_qp = 0, [b""], False, False
    for number, line in lines:
        if not line.strip():
            in_qp = False
            continue
        if in_qp:
            if keep:
                parts[-1] = parts[-1][:-1]  # drop the soft-break "="
                parts.append(line)
            in_qp = line.endswith(b"=")
            continue
        if line[:1] in (b" ", b"\t"):
            if keep:
                parts.append(line[1:])
            continue
        match = _NAME.match(line)
        if match is None:
            continue  # base64 written without folding: belongs to the previous property
        if start and keep:
            yield start, b"".join(parts)
        name = match.group(2).upper().decode() if match else ""
        upper = line.upper()
        keep = name in KEPT or upper.startswith((b"BEGIN:", b"END:"))
        start, parts = number, [line]
        head = upper.split(b":", 1)[0]
        in_qp = b"QUOTED-PRINTABLE" in head and line.endswith(b"=")
    if start and keep:
        yield start, b"".join(parts)


def _split_params(head: bytes) -> list[tuple[str, str]]:
    """``TEL;TYPE=work,voice;CELL`` → [("TYPE", "work,voice"), ("TYPE", "CELL")]; values
    may be quoted (4.0) and contain ";" inside the quotes."""
    params: list[tuple[str, str]] = []
    text = head.decode("ascii", "replace")
    for part in re.findall(r'(?:[^;"]|"[^"]*")+', text)[1:]:
        name, sep, value = part.partition("=")
        if sep:
            params.append((name.strip().upper(), value.strip().strip('"')))
        else:
            params.append(("TYPE", name.strip()))
    return params


def _property(line: bytes, default: str, declared_ok: bool) -> tuple[Property | None, str]:
    """The property of a logical line, its value decoded; "" or why it could not be."""
    head, sep, value = line.partition(b":")
    if not sep:
        return None, ""
    match = _NAME.match(head + b":")
    if match is None:
        return None, ""
    group = (match.group(1) or b"").decode().upper()
    name = match.group(2).decode().upper()
    params = _split_params(head)
    encoding = next((v.upper() for k, v in params if k == "ENCODING"), "")
    if "QUOTED-PRINTABLE" in (encoding, *(v.upper() for k, v in params if k == "TYPE")):
        value = quopri.decodestring(value)
        # Back to vCard text: line breaks escaped (the separators ; stay as written).
        value = value.replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\n", b"\\n")
        params = [(k, v) for k, v in params if v.upper() != "QUOTED-PRINTABLE"]
    charset = next((v for k, v in params if k == "CHARSET"), "") if declared_ok else ""
    text = None
    for candidate in (charset, default):
        if not candidate:
            continue
        try:
            text = value.decode(candidate)
            break
        except (LookupError, UnicodeDecodeError):
            continue
    if text is None:
        shown = charset or default
        return None, f"The {name} value is not valid {shown} text."
    kept = [(k, v) for k, v in params if k not in ("CHARSET", "ENCODING")]
    return Property(group, name, kept, text), ""


def read_cards(
    source: Source, *, country: str = "", encoding: Encoding | None = None
) -> Iterator[Card]:
    if encoding is None:
        encoding = detect_encoding(source, country=country, advice=ADVICE, noun="a vCard")
    wide = (
        encoding.codec
        if encoding.codec.startswith(("utf-16", "utf_16", "utf-32", "utf_32"))
        else None
    )
    default = "utf-8" if wide else _python_codec(encoding)
    if encoding.how == "detected" and not wide and _utf8_once_unfolded(source):
        # Not UTF-8 as bytes only because a line was folded inside a character, or
        # because a property declares another charset: UTF-8 it is.
        default = "utf-8"
    stream = source.open()
    try:
        if encoding.codec == "utf-8-sig" and stream.read(3) != codecs.BOM_UTF8:
            stream.seek(0)
        card: Card | None = None
        depth = 0
        try:
            for number, line in _logical_lines(_physical_lines(stream, wide)):
                upper = line.strip().upper()
                if upper == b"BEGIN:VCARD":
                    depth += 1
                    if depth == 1:
                        card = Card(number)
                    continue
                if upper == b"END:VCARD":
                    depth -= 1
                    if depth == 0 and card is not None:
                        yield card
                        card = None
                    depth = max(depth, 0)
                    continue
                if card is None or depth != 1:
                    continue  # outside a card, or inside an AGENT's embedded card
                if b"\x00" in line:
                    raise BadFile(
                        f"Line {number} of “{source.name}” has a NUL byte, which no vCard "
                        f"contains: the file is damaged; {ADVICE}"
                    )
                prop, problem = _property(line, default, declared_ok=not wide)
                if prop is not None:
                    card.properties.append(prop)
                elif problem:
                    card.unreadable.append(problem)
        except UnicodeDecodeError:
            raise BadFile(f"“{source.name}” is not valid {encoding.codec} text: {ADVICE}") from None
    finally:
        stream.close()


def _utf8_once_unfolded(source: Source) -> bool:
    """Every value that declares no CHARSET is valid UTF-8 once the lines are unfolded."""
    with source.open() as stream:
        for _number, line in _logical_lines(_physical_lines(stream, None)):
            head = line.split(b":", 1)[0].upper()
            if b"CHARSET=" in head or line.isascii():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return False
    return True


def _python_codec(encoding: Encoding) -> str:
    return "utf-8" if encoding.codec == "utf-8-sig" else encoding.codec


# ---------------------------------------------------------------------------
# Values (RFC 6350 §3.4) and cards to rows
# ---------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\"}


def _split(value: str, separator: str) -> list[str]:
    """Split on unescaped ``separator``; escapes are kept for ``_unescape``."""
    if "\\" not in value:
        return value.split(separator)  # nothing escaped: the usual value
    parts, current, i = [], [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            current.append(value[i : i + 2])
            i += 2
            continue
        if ch == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), value)


def _text(value: str) -> str:
    return clean_text(_unescape(value))


def _components(value: str) -> list[str]:
    return [_unescape(part) for part in _split(value, ";")]


def _list(value: str) -> list[str]:
    return [clean_text(_unescape(part)) for part in _split(value, ",")]


def _types(prop: Property) -> set[str]:
    found: set[str] = set()
    for key, value in prop.params:
        if key == "TYPE":
            found.update(v.strip().lower() for v in value.split(","))
    return found


def _label(prop: Property, labels: dict[str, str]) -> str:
    custom = labels.get(prop.group) if prop.group else None
    if custom:
        # Apple: "_$!<Mobile>!$_" for its own labels, else the user's words.
        match = re.fullmatch(r"_\$!<(.+)>!\$_", custom)
        return clean_text(match.group(1) if match else custom).lower()[:40]
    types = {_TYPE_LABELS[t] for t in _types(prop) if t in _TYPE_LABELS}
    return " ".join(label for label in _LABEL_ORDER if label in types)[:40]


def _card_kind(card: Card) -> str:
    for name in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
        prop = card.first(name)
        if prop is not None:
            return _text(prop.value).lower()
    show_as = card.first("X-ABSHOWAS")
    if show_as is not None and _text(show_as.value).upper() == "COMPANY":
        return "org"
    if card.first("MEMBER") or card.first("X-ADDRESSBOOKSERVER-MEMBER"):
        return "group"
    return ""


def card_item(card: Card) -> Item:
    """The row a card becomes: a person, an organisation or a reason to skip it."""
    kind = _card_kind(card)
    if kind == "group":
        return RowProblem(card.line, "A contact group, not a person: skipped.")
    if kind == "location":
        return RowProblem(card.line, "A place, not a person or an organisation: skipped.")
    labels = {p.group: _unescape(p.value) for p in card.all("X-ABLABEL") if p.group}
    n = card.first("N")
    family, given, additional, prefixes, suffixes = _name_parts(n.value if n else "")
    fn = card.first("FN")
    display = _text(fn.value) if fn is not None else ""
    org_prop = card.first("ORG")
    org_parts = [clean_text(p) for p in _components(org_prop.value)] if org_prop else []
    organisation = next((p for p in org_parts if p), "")
    has_name = bool(given or family or additional)
    is_org = kind == "org" or (
        not has_name
        and bool(organisation)
        and (not display or display == organisation or display == " ".join(org_parts).strip())
    )
    remarks: list[str] = list(card.unreadable)
    if any(has_control_characters(_unescape(p.value)) for p in card.properties):
        remarks.append("Control characters in this card were removed.")
    row: PersonRow | OrganisationRow
    if is_org:
        row = OrganisationRow(line=card.line, name=organisation or display, remarks=remarks)
    else:
        row = PersonRow(
            line=card.line,
            given_name=given,
            middle_name=additional,
            family_name=family,
            prefix=prefixes,
            suffix=suffixes,
            full_name=display,
            organisation=organisation,
            remarks=remarks,
        )
    for prop in card.all("EMAIL"):
        text = _text(prop.value).removeprefix("mailto:")
        if text:
            # Phones write junk here (Android's test cards do): kept in the notes.
            add_email(row, text, _label(prop, labels), quiet=True)
    for prop in card.all("TEL"):
        number = _text(prop.value).removeprefix("tel:")
        if number and all(number != have for have, _l in row.phones):
            row.phones.append((number, _label(prop, labels)))
    urls = [_text(p.value) for p in card.all("URL")]
    notes = [clean_multiline(_unescape(p.value)) for p in card.all("NOTE")]
    unreadable_emails = [r for r in row.remarks if r.endswith("is not an e-mail address.")]
    if unreadable_emails:
        notes.append(
            "E-mail as written in the card (not an address): "
            + ", ".join(
                r.removesuffix(" is not an e-mail address.").strip("“”") for r in unreadable_emails
            )
        )
        row.remarks = [r for r in row.remarks if r not in unreadable_emails]
    row.notes = "\n\n".join(n for n in notes if n)
    if isinstance(row, OrganisationRow):
        row.website = next((u for u in urls if u.lower().startswith(("http://", "https://"))), "")
        return row
    for url in urls:
        profile = canonical_linkedin_url(url)
        if profile:
            row.linkedin_url = profile
            break
    nick = card.first("NICKNAME")
    if nick is not None:
        row.nickname = next((n for n in _list(nick.value) if n), "")
    title = card.first("TITLE")
    if title is not None:
        row.job_title = _text(title.value)
    for prop in card.all("CATEGORIES"):
        for tag in _list(prop.value):
            if tag and tag not in row.tags:
                row.tags.append(tag)
    if not display:
        row.full_name = compose_name(prefixes, given, additional, family, suffixes)
    if not (row.full_name or row.emails):
        return RowProblem(card.line, "The card has no name, organisation or e-mail address.")
    return row


def _name_parts(value: str) -> tuple[str, str, str, str, str]:
    """N's components (family; given; additional; prefixes; suffixes), each a list
    separated by unescaped commas ("Richter,James"; "ing. jr,M.Sc.")."""

    def joined(component: str, separator: str) -> str:
        return separator.join(w for w in (_text(x) for x in _split(component, ",")) if w)

    family, given, additional, prefixes, suffixes = (_split(value, ";") + [""] * 5)[:5]
    return (
        joined(family, " "),
        joined(given, " "),
        joined(additional, " "),
        joined(prefixes, " "),
        joined(suffixes, ", "),
    )


def parse_vcard(
    source: Source, *, country: str = "", encoding: Encoding | None = None
) -> Iterator[Item]:
    found = False
    for card in read_cards(source, country=country, encoding=encoding):
        found = True
        yield card_item(card)
    if not found:
        raise BadFile(f"“{source.name}” has no BEGIN:VCARD … END:VCARD card in it: {ADVICE}")
