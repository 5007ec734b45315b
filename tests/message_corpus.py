"""Score Grapevine's message checks against the labelled corpus in tests/data/messages/.

    .venv/bin/python -m tests.message_corpus            # the tuning part and the held-out part
    .venv/bin/python -m tests.message_corpus --show     # every message that is scored wrong
    .venv/bin/python -m tests.message_corpus --part corpus --show   # the tuning part alone

A message is scored right when the verdict matches and, for a failing message, the rules
cited as failures are exactly the labelled ones. Hints never fail a message; they are
counted apart on the good messages.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grapevine.messaging import checks

CORPUS = Path(__file__).parent / "data" / "messages"
PARTS = ("corpus", "heldout")


@dataclass
class Scored:
    label: dict[str, Any]
    ok: bool
    rules: set[str]
    hints: list[str]
    findings: list[checks.Finding]

    @property
    def right(self) -> bool:
        expected_ok = self.label["verdict"] == "ok"
        if self.ok != expected_ok:
            return False
        return expected_ok or self.rules == set(self.label["rules"])


def load(part: str) -> list[dict[str, Any]]:
    with (CORPUS / f"{part}.toml").open("rb") as handle:
        return list(tomllib.load(handle)["message"])


def score(label: dict[str, Any]) -> Scored:
    report = checks.check_message(
        label["text"],
        label["kind"],
        referrer=label.get("referrer", ""),
        notes=label.get("notes", ""),
        met=label.get("met", ""),
    )
    return Scored(
        label=label,
        ok=report.ok,
        rules={f.rule for f in report.errors},
        hints=[f.rule for f in report.hints],
        findings=report.findings,
    )


def summary(results: list[Scored]) -> str:
    right = sum(r.right for r in results)
    good = [r for r in results if r.label["verdict"] == "ok"]
    bad = [r for r in results if r.label["verdict"] == "fail"]
    good_failed = sum(not r.ok for r in good)
    good_hinted = sum(bool(r.hints) for r in good if r.ok)
    caught = sum(not r.ok for r in bad)
    wrong_reason = sum(not r.ok and not r.right for r in bad)
    return (
        f"{right} of {len(results)} right; {len(good)} good messages: {good_failed} drew a "
        f"failure, {good_hinted} a hint; {len(bad)} bad messages: {caught} caught "
        f"({wrong_reason} for another rule than labelled)"
    )


def main(argv: list[str]) -> int:
    show = "--show" in argv
    parts = [argv[argv.index("--part") + 1]] if "--part" in argv else list(PARTS)
    everything: list[Scored] = []
    for part in parts:
        results = [score(label) for label in load(part)]
        everything += results
        print(f"{part}: {summary(results)}")
        if show:
            for r in results:
                if not r.right or (r.label["verdict"] == "ok" and r.findings):
                    print(f"  {r.label['id']}: labelled {r.label['verdict']} {r.label['rules']}")
                    for f in r.findings:
                        print(f"      {f.rule} {f.level}: {f.message}")
    print(f"all: {summary(everything)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
