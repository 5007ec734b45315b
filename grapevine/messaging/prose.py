"""Turning what the journal holds into sentences a person writes.

A referrer's reason is stored as the user wrote it down ("he knows everyone in town"); a
draft to that person says "… told me you know everyone in town", or leaves the reason out
when it cannot be said to them (it speaks of the referrer, "I", or is too long). Notes are
jottings ("@Maria Holm runs the bootcamp"), never pasted as they are: a draft raises their
people and a short point in a sentence of its own.
"""

from __future__ import annotations

import re

_THIRD_PERSON = {"he", "she", "they"}
_FIRST_PERSON = {"i", "me", "my", "mine", "we", "us", "our", "ours", "myself"}
_OBJECT = {
    "him": "you",
    "them": "you",
    "himself": "yourself",
    "herself": "yourself",
    "themselves": "yourself",
    "his": "your",
    "their": "your",
    "theirs": "yours",
}
_BE = {
    "is": "are",
    "was": "were",
    "has": "have",
    "does": "do",
    "'s": "'re",
    "isn't": "aren't",
    "wasn't": "weren't",
    "hasn't": "haven't",
    "doesn't": "don't",
}
_NOT_VERBS = {"always", "really", "also", "still", "already", "just", "once", "never", "often"}
MAX_REASON_WORDS = 25


def _base_verb(word: str) -> str:
    lower = word.lower()
    if lower in _BE:
        return _BE[lower]
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def reason_to_you(reason: str, *, names: tuple[str, ...] = ()) -> str | None:
    """The referrer's reason as said to the person it is about: "you know everyone", or None.

    ``names`` are the ways the reason may name that person ("John", "John Public")."""
    text = " ".join(reason.split()).strip().rstrip(".!;,")
    text = re.sub(r"^(?:because|since|as)\s+", "", text, flags=re.IGNORECASE)
    if not text or len(text.split()) > MAX_REASON_WORDS or re.search(r"[.!?;]\s", text):
        return None
    for name in sorted(names, key=len, reverse=True):
        if name and text.lower().startswith(name.lower() + " "):
            text = "he" + text[len(name) :]
            break
    words = text.split()
    if {w.lower().strip(",'\"") for w in words} & _FIRST_PERSON:
        return None  # it speaks of the referrer ("he helped me"): not for the recipient
    first = words[0].lower()
    if first in _THIRD_PERSON:
        words = words[1:]
    elif first in ("the", "a", "an"):
        words = ["are", *words]
    if not words:
        return None
    out = ["you"]
    verb_done = False
    if words[0].lower() in ("his", "her", "their"):
        out = []  # "his team runs the city's data": the team is the subject
        verb_done = True
    for index, word in enumerate(words):
        lower = word.lower()
        if lower in _THIRD_PERSON:
            out.append("you")
            verb_done = False
            continue
        if lower == "her":
            following = words[index + 1].lower() if index + 1 < len(words) else ""
            out.append(
                "your" if following and following not in ("to", "for", "about", "and") else "you"
            )
            continue
        if lower in _OBJECT:
            out.append(_OBJECT[lower])
            continue
        if not verb_done and lower not in _NOT_VERBS:
            out.append(_base_verb(word))
            verb_done = True
            continue
        out.append(word)
    return " ".join(out)


def clause(text: str, *, max_words: int = 30, lower: bool = False) -> str | None:
    """A debrief line as part of a sentence: its first sentence without its full stop; None
    when empty or too long. ``lower`` lowers the first letter (for "I will take the course"),
    unless the first word looks like a name or an acronym."""
    text = " ".join(text.split()).strip()
    if not text:
        return None
    text = re.split(r"(?<=[.!?])\s", text)[0].rstrip(".!;: ")
    if len(text.split()) > max_words:
        return None
    first = text.split()[0]
    if not lower:
        return text
    is_name = first.isupper() or (len(first) > 1 and first[1:].lower() != first[1:])
    if not is_name and first not in ("I", "I'm", "I'll", "I've", "I'd"):
        text = text[0].lower() + text[1:]
    return text


def action(text: str) -> str | None:
    """What the writer will act on, as "I will take the SQL course"."""
    said = clause(text, lower=True)
    if said is None:
        return None
    if re.match(r"^i\b|^i'", said, re.IGNORECASE):
        return "I" + said[1:]
    return f"I will {said}"


def note_mentions(notes: str) -> list[str]:
    """People and organisations the notes mention with @ or # ("@Maria Holm", "#Forest and Bird"
    up to the end of the capitalised words)."""
    found = []
    for match in re.finditer(
        r"[@#]([A-Z][\w'-]*(?:\s+(?:and\s+|of\s+|de\s+)?[A-Z][\w'-]*){0,3})", notes
    ):
        found.append(match.group(1).replace("_", " "))
    return list(dict.fromkeys(found))


def listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
