"""Which characters a file's bytes are: a declared charset first (a vCard's CHARSET=,
handled by the vCard reader), then a byte-order mark, then UTF-8 if every byte is valid
UTF-8, then charset-normalizer.

charset-normalizer is unsure on short texts: for "Iksiński" written in windows-1250 it
scores windows-1252 ("Iksiñski") as well or better. Browsers settle the same question
with the reader's locale, and so does Grapevine: among the encodings the detector
accepts, the legacy code page of the account's country wins (a Polish account's
windows-1250, a Japanese account's Shift_JIS); otherwise the detector's best.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from typing import TextIO

import charset_normalizer

from grapevine.transfer.formats.base import BadFile
from grapevine.transfer.formats.source import Source

# The ANSI code page Windows uses for each country's language (what Outlook, Excel and
# old phones wrote before UTF-8), after the WHATWG Encoding Standard's locale defaults.
_CENTRAL_EUROPE = ["AL", "BA", "CZ", "HR", "HU", "PL", "RO", "SI", "SK"]
_CYRILLIC = ["BG", "BY", "KG", "KZ", "MK", "MN", "RS", "RU", "TJ", "UA"]
_ARABIC = [
    "AE",
    "BH",
    "DZ",
    "EG",
    "IQ",
    "IR",
    "JO",
    "KW",
    "LB",
    "LY",
    "MA",
    "OM",
    "PK",
    "QA",
    "SA",
    "SD",
    "SY",
    "TN",
    "YE",
]
_BALTIC = ["EE", "LT", "LV"]
LEGACY_CODE_PAGE = (
    dict.fromkeys(_CENTRAL_EUROPE, "cp1250")
    | dict.fromkeys(_CYRILLIC, "cp1251")
    | dict.fromkeys(_ARABIC, "cp1256")
    | dict.fromkeys(_BALTIC, "cp1257")
    | {
        "GR": "cp1253",
        "CY": "cp1253",
        "TR": "cp1254",
        "AZ": "cp1254",
        "IL": "cp1255",
        "VN": "cp1258",
        "TH": "cp874",
        "JP": "cp932",
        "CN": "gb18030",
        "SG": "gb18030",
        "TW": "cp950",
        "HK": "cp950",
        "MO": "cp950",
        "KR": "cp949",
    }
)
DEFAULT_CODE_PAGE = "cp1252"  # every other country: Western European

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE = 512 * 1024


@dataclass(frozen=True)
class Encoding:
    codec: str  # a Python codec name
    how: str  # "bom", "utf-8" or "detected"


def detect_encoding(
    source: Source, *, country: str = "", advice: str, noun: str = "a CSV export or a vCard"
) -> Encoding:
    """How to read ``source`` as text; ``BadFile`` when it is not text at all.

    ``noun`` is what the file should be and ``advice`` ends the error sentence: what a
    user of this format should do (a vCard user is never told to save a CSV).
    """
    with source.open() as stream:
        head = stream.read(65536)
        for mark, codec in _BOMS:
            if head.startswith(mark):
                return Encoding(codec, "bom")
        if b"\x00" in head[:8192]:
            # No text but UTF-16 or UTF-32 has NUL bytes this early (a NUL further on is
            # a damaged text file: the reader names its line).
            found = _detected(head, country, wide_only=True)
            if found is None:
                raise BadFile(f"“{source.name}” is a binary file, not {noun}: {advice}")
            return Encoding(found, "detected")
        decoder = codecs.getincrementaldecoder("utf-8")()
        data, offset = head, 0
        while True:
            try:
                decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                bad_in_data = exc.start
                bad_at = offset + bad_in_data
                break
            if not data:
                return Encoding("utf-8", "utf-8")
            offset += len(data)
            data = stream.read(1024 * 1024)
        # Not UTF-8: the detector reads the start and the text around the first byte
        # that is not (the rest of a file is usually in the same encoding).
        sample = head[:_SAMPLE]
        if bad_at >= len(sample) and data is not head:
            around = max(0, bad_in_data - 4096)
            sample += b"\n" + data[around : around + _SAMPLE]
    found = _detected(sample, country)
    if found is None:
        raise BadFile(
            f"“{source.name}” is not text Grapevine can read (byte {_byte_at(sample, head, bad_at)} "
            f"at position {bad_at:,} is not UTF-8, and no other encoding fits): {advice}"
        )
    return Encoding(found, "detected")


def _byte_at(sample: bytes, head: bytes, position: int) -> str:
    if position < len(head):
        return f"{head[position]:#04x}"
    return "?"


def _detected(sample: bytes, country: str, *, wide_only: bool = False) -> str | None:
    results = charset_normalizer.from_bytes(sample)
    best = results.best()
    if best is None:
        return None
    encodings = [r.encoding for r in results]
    if wide_only:
        wide = [e for e in encodings if e.startswith(("utf_16", "utf_32"))]
        return wide[0] if wide else None
    preferred = LEGACY_CODE_PAGE.get((country or "").upper(), DEFAULT_CODE_PAGE)
    if preferred in encodings:
        return preferred
    return best.encoding


def open_text(source: Source, encoding: Encoding) -> TextIO:
    """``source`` as text, newlines as written (the CSV reader needs them)."""
    return io.TextIOWrapper(source.open(), encoding=encoding.codec, errors="strict", newline="")


def describe(encoding: Encoding) -> str:
    names = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}
    name = names.get(encoding.codec) or codecs.lookup(encoding.codec).name
    return name.replace("cp125", "windows-125").replace("_", "-")
