"""Turning what people type or export into comparable values.

Names with nameparser, phone numbers with phonenumbers, organisation names with
cleanco; LinkedIn profile URLs into one canonical form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import phonenumbers
from cleanco import basename
from cleanco.clean import normalized as _cleanco_normalized
from cleanco.clean import strip_punct as _strip_punct
from cleanco.clean import strip_tail as _strip_tail
from nameparser import HumanName
from nameparser.config import Constants

# Professional credentials written after a name ("Lopez, CPA"); nameparser knows
# many suffixes, these make sure the common ones are never taken as a family name.
CREDENTIALS = {
    "cpa",
    "cfa",
    "mba",
    "phd",
    "ph.d",
    "ph.d.",
    "md",
    "pmp",
    "shrm-cp",
    "shrm-scp",
    "cissp",
    "pe",
    "esq",
    "rn",
    "cpp",
    "acca",
    "cma",
    "frm",
    "msc",
    "ma",
    "bsc",
    "dds",
    "jd",
    "llm",
    "csm",
    "cfp",
    "caia",
    "aws",
    "itil",
    "sphr",
    "phr",
    "lion",
    "ceng",
}
_NAME_CONSTANTS = Constants()
_NAME_CONSTANTS.suffix_acronyms.add(*(c for c in CREDENTIALS if "." not in c))


class _CombiningMarks(dict[int, int | None]):
    """``str.translate`` table that drops combining marks (accents after NFKD).

    The same as keeping the characters whose ``unicodedata.combining`` is 0; each
    character is looked up once, then the table answers from C."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


WITHOUT_COMBINING_MARKS = _CombiningMarks()


@dataclass(frozen=True)
class NameParts:
    full_name: str
    title_prefix: str
    given_name: str
    middle_name: str
    family_name: str
    suffix: str
    nickname: str


def clean_text(value: str | None) -> str:
    """Collapse whitespace, drop control characters; keep every letter and emoji."""
    if not value:
        return ""
    if type(value) is str:
        # Fast path, the same result: printable text (after NFC) has no control
        # characters and no whitespace but the ASCII space, so collapsing is split/join.
        # ASCII text is its own NFC. Imports call this hundreds of thousands of times.
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)
        if value.isprintable():
            return " ".join(value.split())
    value = unicodedata.normalize("NFC", str(value))
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Cc" or ch in "\t\n")
    return re.sub(r"\s+", " ", value).strip()


def parse_name(
    full_name: str = "", *, given: str = "", family: str = "", middle: str = ""
) -> NameParts:
    """Split a name into parts. Credentials after a comma stay out of the family name.

    Either a whole name or given/family parts (as exports have them) may be passed.
    """
    given, family, middle = clean_text(given), clean_text(family), clean_text(middle)
    suffixes: list[str] = []
    if not full_name and family and "," in family:
        # "Lopez, CPA" in a last-name column: everything after the first comma
        # that looks like a credential is a suffix.
        head, _, tail = family.partition(",")
        tokens = [p.strip() for p in tail.split(",") if p.strip()]
        if tokens and all(_is_credential(p) for p in tokens):
            family, suffixes = head.strip(), tokens
    if full_name:
        name = HumanName(clean_text(full_name), constants=_NAME_CONSTANTS)
        return NameParts(
            full_name=clean_text(full_name),
            title_prefix=name.title,
            given_name=name.first,
            middle_name=name.middle,
            family_name=name.last,
            suffix=name.suffix,
            nickname=name.nickname,
        )
    nickname = ""
    match = re.search(r"[\"“(](.+?)[\"”)]", given)
    if match:
        nickname = match.group(1).strip()
        given = clean_text(given[: match.start()] + given[match.end() :])
    suffix = ", ".join(suffixes)
    shown = " ".join(p for p in (given, middle, family) if p)
    if suffix:
        shown = f"{shown}, {suffix}" if shown else suffix
    return NameParts(
        full_name=shown,
        title_prefix="",
        given_name=given,
        middle_name=middle,
        family_name=family,
        suffix=suffix,
        nickname=nickname,
    )


def _is_credential(token: str) -> bool:
    return token.lower().strip(" .") in {c.strip(".") for c in CREDENTIALS} or (
        token.isupper()
        and 2 <= len(token.replace(".", "")) <= 6
        and token.replace(".", "").isalpha()
    )


def normalise_email(value: str) -> str:
    return clean_text(value).lower()


def normalise_phone(value: str, region: str = "US") -> str:
    """E.164 when the number is a valid one (read in ``region`` when it has no country
    code), else exactly as written: "0351 223344" in Germany is +49351223344, but in the
    United States it is no valid number and stays "0351 223344" instead of getting +1."""
    raw = clean_text(value)
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return raw
    if phonenumbers.is_valid_number(number):
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return f"{e164} ext. {number.extension}" if number.extension else e164
    return raw


def format_phone(value: str) -> str:
    """How a stored number is shown: international format when it is a valid E.164
    number, else exactly as it was written."""
    if value.startswith("+"):
        try:
            number = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException:
            return value
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return value


_LINKEDIN_PATH = re.compile(r"^/(in|pub)/([^/?#]+)", re.IGNORECASE)
_SIMPLE_PROFILE = re.compile(r"https://www\.linkedin\.com/in/([^/?#%\s]+)/?")


def canonical_linkedin_url(value: str) -> str:
    """``https://www.linkedin.com/in/<slug>`` for any way a profile URL is written.

    Accepts country subdomains, missing scheme, trailing slashes, query strings
    and percent-encoding; anything that is not a LinkedIn profile comes back empty.
    """
    simple = _SIMPLE_PROFILE.fullmatch(value) if value else None
    if simple is not None and value.isprintable():
        # The form exports write (no percent-encoding, query or extra path): the
        # same result as below without urlsplit.
        return f"https://www.linkedin.com/in/{clean_text(simple.group(1)).lower()}"
    raw = clean_text(value)
    if not raw:
        return ""
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return ""
    match = _LINKEDIN_PATH.match(parts.path)
    if not match:
        return ""
    slug = unquote(match.group(2)).strip().lower()
    if not slug:
        return ""
    return f"https://www.linkedin.com/in/{slug}"


def organisation_key(name: str) -> str:
    """The comparable form of an organisation's name: "ACME Corp., Inc." -> "acme"."""
    text = clean_text(name)
    if not text:
        return ""
    if not text.isascii():  # ASCII is its own NFKD, without combining marks
        text = unicodedata.normalize("NFKD", text).translate(WITHOUT_COMBINING_MARKS)
    text = text.replace("&", " and ")
    stripped = _basename(text)
    # cleanco strips one suffix at a time; a second pass catches "Acme Holdings Inc".
    stripped = _basename(stripped) or stripped
    key = re.sub(r"[^\w]+", " ", (stripped or text).lower()).strip()
    key = re.sub(r"^the\s+", "", key)
    return re.sub(r"\s+", " ", key)


# cleanco's suffix terms, in the order cleanco tries them, grouped by their last word.
_TERMS: list[tuple[int, list[str]]] = basename.keywords["terms"]
_TERMS_BY_LAST_WORD: dict[str, list[tuple[int, int, list[str]]]] = {}
for _position, (_size, _words) in enumerate(_TERMS):
    _TERMS_BY_LAST_WORD.setdefault(_words[-1], []).append((_position, _size, _words))


def _basename(name: str) -> str:
    """``cleanco.basename(name)``, the same result without trying all 321 terms.

    cleanco walks its terms in order and cuts each one that ends the name as it
    stands at that moment; only terms ending in the name's current last word can, so
    those alone are tried, in cleanco's order. An import keys thousands of distinct
    organisation names; this is several times faster.
    """
    name = _strip_tail(name)
    words = name.split()
    # cleanco's caseless normalisation is lower() for ASCII (no accents to remove).
    norm = name.lower() if name.isascii() else _cleanco_normalized(name)
    norm_words = [_strip_punct(w) for w in norm.split()]
    after = 0  # cleanco's position in its list of terms
    while norm_words:
        for position, size, term in _TERMS_BY_LAST_WORD.get(norm_words[-1], ()):
            if position >= after and norm_words[-size:] == term:
                del norm_words[-size:]
                del words[-size:]
                after = position + 1
                break
        else:
            break
    return _strip_tail(" ".join(words))


def domain_from_website(website: str) -> str:
    raw = clean_text(website)
    if not raw:
        return ""
    if "://" not in raw:
        raw = "https://" + raw
    host = (urlsplit(raw).hostname or "").lower()
    return host.removeprefix("www.")
