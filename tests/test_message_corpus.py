"""Grapevine's checks against the labelled corpus of tests/data/messages/ (see its README):
at least 57 of the 60+ messages right, and no good message draws a failure.

The same score is printed by `.venv/bin/python -m tests.message_corpus`."""

from __future__ import annotations

from collections import Counter

import pytest

from tests import message_corpus

RESULTS = {
    part: [message_corpus.score(m) for m in message_corpus.load(part)]
    for part in message_corpus.PARTS
}
EVERYTHING = [r for results in RESULTS.values() for r in results]


def test_the_corpus_covers_every_kind_good_and_bad() -> None:
    assert len(EVERYTHING) >= 60
    seen = Counter((r.label["kind"], r.label["verdict"]) for r in EVERYTHING)
    kinds = {
        "request",
        "follow-up",
        "not-hiring",
        "confirmation",
        "thank-you",
        "report-back",
        "keep-in-touch",
    }
    for kind in kinds:
        assert seen[(kind, "ok")] >= 2 and seen[(kind, "fail")] >= 2, kind
    assert any(r.label.get("referrer") for r in EVERYTHING if r.label["kind"] == "request")


@pytest.mark.parametrize("part", message_corpus.PARTS)
def test_no_good_message_draws_a_failure(part: str) -> None:
    failed = [r.label["id"] for r in RESULTS[part] if r.label["verdict"] == "ok" and not r.ok]
    assert failed == []


def test_at_least_57_right_and_95_percent_of_each_part() -> None:
    right = sum(r.right for r in EVERYTHING)
    assert right >= 57
    for part, results in RESULTS.items():
        assert sum(r.right for r in results) >= 0.95 * len(results), part


def test_good_messages_pass_with_no_finding_at_all() -> None:
    noisy = [r.label["id"] for r in EVERYTHING if r.label["verdict"] == "ok" and r.findings]
    assert len(noisy) <= 1, noisy
