"""`grapevine check-message` and the checks behind it: each finding cites its rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grapevine import cli
from grapevine.messaging import checks

GOOD_REQUEST = (
    "Dear Ms Berg,\n\n"
    "Sara Lind suggested I contact you: she said nobody knows the Lyon data scene better. "
    "After ten years teaching mathematics I am exploring analytics, and I would value your "
    "advice on how people in your team made a similar move.\n\n"
    "Would you have 20 minutes for a short conversation in the coming weeks, in person or by "
    "phone?\n\n"
    "With thanks,\nAlex Martin"
)

JOB_REQUEST = (
    "Dear Ms Berg,\n\nI am looking for a job in analytics and saw that you are hiring. "
    "Could you pass my CV to the manager? Would you have 20 minutes this week?\n\nAlex"
)

LONG_REQUEST = (
    "Dear Ms Berg,\n\n"
    + ("I would love to learn about your work in analytics. " * 14)
    + ("Would you have 20 minutes?\n\nAlex")
)


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "200"})


def _run(runner: CliRunner, tmp_path: Path, text: str, *args: str) -> tuple[int, dict[str, object]]:
    message = tmp_path / "message.txt"
    message.write_text(text, encoding="utf-8")
    result = runner.invoke(cli.get_app(), ["check-message", str(message), *args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def _rules(report: dict[str, object], level: str = "error") -> list[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [f["rule"] for f in findings if f["level"] == level]


def test_good_60_word_request_passes(runner: CliRunner, tmp_path: Path) -> None:
    assert 55 <= checks.word_count(GOOD_REQUEST) <= 65
    code, report = _run(
        runner, tmp_path, GOOD_REQUEST, "--kind", "request", "--referrer", "Sara Lind"
    )
    assert report["ok"] is True
    assert report["findings"] == []
    assert code == 0


def test_job_ask_is_flagged_r1(runner: CliRunner, tmp_path: Path) -> None:
    code, report = _run(runner, tmp_path, JOB_REQUEST, "--kind", "request")
    assert report["ok"] is False
    assert "R1" in _rules(report)
    messages = [f["message"] for f in report["findings"] if f["rule"] == "R1"]  # type: ignore[index]
    # Each finding quotes the sentence that asks and says what to do instead.
    assert any("“Could you pass my CV to the manager?”" in m for m in messages)
    assert all("Instead," in m for m in messages)
    assert code == 1


def test_over_100_words_is_flagged(runner: CliRunner, tmp_path: Path) -> None:
    assert checks.word_count(LONG_REQUEST) > 100
    code, report = _run(runner, tmp_path, LONG_REQUEST, "--kind", "request")
    assert report["ok"] is False
    long_finding = [f for f in report["findings"] if "words long" in f["message"]]  # type: ignore[union-attr]
    assert long_finding and long_finding[0]["rule"] == "R4"
    assert code == 1


def test_referred_person_without_referrer_is_flagged_r7(runner: CliRunner, tmp_path: Path) -> None:
    text = GOOD_REQUEST.replace("Sara Lind suggested I contact you: she said", "I heard that")
    code, report = _run(runner, tmp_path, text, "--kind", "request", "--referrer", "Sara Lind")
    assert _rules(report) == ["R7"]
    assert code == 1
    # The same text is fine when nobody referred you.
    code, report = _run(runner, tmp_path, text, "--kind", "request")
    assert report["ok"] is True


def test_text_output_and_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    message = tmp_path / "m.txt"
    message.write_text(JOB_REQUEST, encoding="utf-8")
    result = runner.invoke(cli.get_app(), ["check-message", str(message)])
    assert result.exit_code == 1
    assert "R1 (rule)" in result.stdout
    result = runner.invoke(cli.get_app(), ["check-message", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert "There is no file" in result.stderr
    result = runner.invoke(cli.get_app(), ["check-message", str(message), "--kind", "poem"])
    assert result.exit_code == 2 and "no kind “poem”" in result.stderr


def test_thank_you_needs_a_point_from_the_notes(runner: CliRunner, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(
        "- dashboards in Looker replace Excel reports\n- @Maria Holm runs the bootcamp\n"
    )
    vague = "Dear John,\n\nThank you for your time today, it was very helpful.\n\nAlex"
    specific = (
        "Dear John,\n\nThank you for your time. Your point that Looker dashboards replace the "
        "Excel reports changed how I see the role.\n\nAlex"
    )
    code, report = _run(runner, tmp_path, vague, "--kind", "thank-you", "--notes", str(notes))
    assert _rules(report) == ["R11"] and code == 1
    code, report = _run(runner, tmp_path, specific, "--kind", "thank-you", "--notes", str(notes))
    assert report["ok"] is True and code == 0


# --- the checks one by one -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Is there an opening on your team?", True),
        ("Any vacancies?", True),
        ("Could you refer me for the analyst role?", True),
        ("Could I send you my résumé?", True),
        ("I'd value your advice on the field.", False),
        ("Your position on remote work interests me.", False),
        ("I'm not asking for a job — just your advice.", False),
        ("I'm not asking for a job, but if anything comes up I'd love to be considered.", True),
        ("Jobsite pages are confusing.", False),
    ],
)
def test_job_asks_by_meaning(text: str, flagged: bool) -> None:
    assert bool(checks.check_no_job_ask(text)) is flagged


def test_r1_applies_to_every_kind() -> None:
    pitch = "Dear Sam,\n\nThanks for the tour of the Leeds lab. Please keep me in mind for openings.\n\nAna"
    for kind in checks.CHECK_KINDS:
        assert "R1" in {f.rule for f in checks.check_message(pitch, kind).errors}, kind


def test_length_counts_the_body_only() -> None:
    body = " ".join(["word"] * 90) + " Would you have 20 minutes?"
    signature = "\n".join(["Best regards,", "Alex Martin", "Data Analyst, Acme", "+1 555 0100"])
    text = f"Subject: {'a long subject line ' * 5}\n\nDear Ms Berg,\n\n{body}\n\n{signature}"
    assert checks.word_count(text) > 100
    assert checks.body_word_count(text) == 95
    report = checks.check_message(text, "request")
    assert report.ok and report.findings == []


def test_a_committed_next_step_is_as_good_as_a_question() -> None:
    text = (
        "Dear Ms Berg, I would be grateful for 15 minutes of your advice. I will call you Thursday."
    )
    assert checks.check_message(text, "request").findings == []
    report = checks.check_message("I would like 20 minutes of your advice.", "request")
    assert [f.rule for f in report.errors] == ["R4"]
    assert "never asks" in report.errors[0].message


def test_question_and_length_apply_to_requests_alone() -> None:
    thank_you = "Dear Sam, thank you: I've signed up for the Python course at the Leeds library you mentioned. Ana"
    assert checks.check_message(thank_you, "thank-you").findings == []


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("Would you have 20 minutes?", [20]),
        ("15-20 min would be perfect", [20]),
        ("Could we meet for an hour?", [60]),
        ("half an hour", [30]),
        ("a 45-minute call", [45]),
    ],
)
def test_asked_minutes(text: str, asked: list[int]) -> None:
    assert checks.asked_minutes(text) == asked


def test_more_than_30_minutes_is_flagged_r4() -> None:
    report = checks.check_message("Could we meet for 45 minutes next week?", "request")
    assert [f.rule for f in report.errors] == ["R4"]
    assert "45 minutes" in report.errors[0].message


def test_referrer_named_late_in_the_first_paragraph_is_a_hint() -> None:
    text = "Dear John, I am exploring analytics. By the way, Sara Lind gave me your name. Would you have 20 minutes?"
    report = checks.check_message(text, "request", referrer="Sara Lind")
    assert report.ok
    assert [(f.rule, f.level) for f in report.findings] == [("R7", "hint")]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        (
            "Dear Mr. Brandt,\n\nDr. Okafor suggested I write. Would you have 20 minutes?\n\nSam",
            None,
        ),
        ("Dear Tom,\n\nMs. H. Okafor suggested I write. Would you have 20 minutes?\n\nSam", None),
        (
            "Hi Tom, I hope you are well. Helen suggested I write. Could we talk for 15 minutes?",
            None,
        ),
        (
            "Dear Tom,\n\nI am exploring water utilities. Would you have 20 minutes?\n\nSam\n\n"
            "P.S. Dr. Okafor gave me your name.",
            "error",
        ),
        ("Dear Tom,\n\nI am exploring water utilities. Would you have 20 minutes?\n\nSam", "error"),
    ],
)
def test_referrer_first_with_honorifics_and_not_in_a_ps(text: str, level: str | None) -> None:
    report = checks.check_message(text, "request", referrer="Dr Helen Okafor")
    assert [f.level for f in report.findings if f.rule == "R7"] == ([level] if level else [])


def test_report_back_names_the_person_met() -> None:
    assert not checks.check_message(
        "Thanks again, it went well.", "report-back", met="John Berg"
    ).ok
    assert checks.check_message(
        "Thanks again: John was generous.", "report-back", met="John Berg"
    ).ok


def test_follow_up_kind_knows_3b7(runner: CliRunner, tmp_path: Path) -> None:
    polite = "Hi Ms. Ito, just following up on my note of 3 May: would you have 15 minutes next week? Carla"
    code, report = _run(runner, tmp_path, polite, "--kind", "follow-up")
    assert code == 0 and report["findings"] == []
    for chaser in (
        "Dear Ms. Ito, this is my fifth email. Do you have 15 minutes? Carla",
        "Dear Ms. Ito, I wrote two weeks ago and you ignored me. Do you have 15 minutes? Carla",
        "Hi Ms. Ito, just bumping this to the top of your inbox. Carla",
    ):
        code, report = _run(runner, tmp_path, chaser, "--kind", "follow-up")
        assert code == 1 and _rules(report) == ["R15"], chaser


def test_a_generic_thank_you_fails_without_notes() -> None:
    report = checks.check_message(
        "Thank you for your time today, it was very helpful!", "thank-you"
    )
    assert [f.rule for f in report.errors] == ["R11"]
    assert "names nothing from the meeting" in report.errors[0].message


def test_hints_do_not_make_check_message_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    text = "Dear John, I am exploring analytics. By the way, Sara Lind gave me your name. Would you have 20 minutes?"
    code, report = _run(runner, tmp_path, text, "--kind", "request", "--referrer", "Sara Lind")
    assert code == 0 and report["ok"] is True and _rules(report, "hint") == ["R7"]


def test_not_hiring_answer_says_you_want_to_learn() -> None:
    assert not checks.check_message("OK, thanks anyway.", "not-hiring").ok
    assert checks.check_message("I'm not asking for a job; I'd like to learn.", "not-hiring").ok
