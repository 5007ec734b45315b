"""What every rule module shares: the finding it reports and what it knows of the message."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from grapevine.messaging.text import HONORIFICS


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    level: str = "error"  # "error": a rule is broken; "hint": advice, never a failure


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.level == "error" for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def hints(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "hint"]

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "findings": [asdict(f) for f in self.findings]}


@dataclass(frozen=True)
class Context:
    """What the writer told Grapevine besides the text."""

    kind: str
    referrer: str = ""
    notes: str = ""
    met: str = ""


def name_forms(name: str) -> list[str]:
    """The ways a letter names someone: "Maria J. Holm" → "Maria J. Holm", "Maria Holm",
    "Maria", "Holm" (an honorific before a family name is matched with it)."""
    name = " ".join(name.split())
    parts = [
        p
        for p in re.split(r"\s+", name)
        if p.lower().rstrip(".") not in HONORIFICS and not re.fullmatch(r"\w\.?", p)
    ]
    forms = [name]
    if len(parts) >= 2:
        forms.append(f"{parts[0]} {parts[-1]}")
    if parts:
        forms.append(parts[0])
        forms.append(parts[-1])
    return list(dict.fromkeys(f for f in forms if len(f) >= 2))


def names_person(text: str, name: str) -> bool:
    """Whether ``text`` names ``name`` in any of its forms, as whole words."""
    for index, form in enumerate(name_forms(name)):
        flags = re.IGNORECASE if index == 0 else 0  # a lone "Park" must be written as a name
        if re.search(rf"(?<![\w'-]){re.escape(form)}(?![\w-])", text, flags):
            return True
    return False


def quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"
