"""A display name from its parts, in the order the name's script writes it."""

from __future__ import annotations

import unicodedata

# Scripts whose names are written family name first (Chinese, Japanese, Korean).
_FAMILY_FIRST_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")


def is_family_first(*parts: str) -> bool:
    """Every letter of the given parts is Han, kana or Hangul (and there is one)."""
    letters = [ch for part in parts for ch in part if ch.isalpha()]
    return bool(letters) and all(
        unicodedata.name(ch, "").startswith(_FAMILY_FIRST_SCRIPTS) for ch in letters
    )


def compose_name(prefix: str, given: str, middle: str, family: str, suffix: str) -> str:
    """ "Dr. Ana María López, PhD"; "山田 太郎" for a Japanese name given as parts (family
    first, as Google, Outlook and phones show it) — only when the file has no display name."""
    if is_family_first(given, middle, family):
        words = [family, given, middle]
    else:
        words = [prefix, given, middle, family]
    shown = " ".join(w for w in words if w)
    if suffix:
        shown = f"{shown}, {suffix}" if shown else suffix
    return shown
