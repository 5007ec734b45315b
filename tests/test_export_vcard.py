"""vCard 3.0 export that address books import, and that Grapevine reads back."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from grapevine.cli import get_app
from grapevine.contacts.models import Person
from grapevine.contacts.services import PersonData, person_create
from grapevine.transfer.exports import vcard_text
from grapevine.transfer.services import import_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(owner):
    return person_create(
        owner,
        PersonData(
            given_name="Ada",
            family_name="Lovelace, CPA",
            organisation_name="Analytical Engines; Babbage, Ltd",
            job_title="Programmer",
            emails=["ada@example.org", "ada@home.example"],
            phones=["+44 20 7946 0000"],
            linkedin_url="https://www.linkedin.com/in/ada-lovelace",
            notes="Met at the Royal Society.\nLikes poetry; and maths, too. " + "x" * 120,
            tags=["Mentor", "London"],
            contact_list="A",
        ),
    )


def test_vcard_is_3_0_with_crlf_folding_and_escaping(owner, ada):
    text = vcard_text(owner)
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded lines
    unfolded = text.replace("\r\n ", "")
    assert "N:Lovelace;Ada;;;CPA\r\n" in unfolded
    assert "FN:Ada Lovelace\\, CPA" in unfolded
    assert "ORG:Analytical Engines\\; Babbage\\, Ltd" in unfolded
    assert "TITLE:Programmer" in unfolded
    assert "EMAIL;TYPE=INTERNET,PREF:ada@example.org" in unfolded
    assert "TEL:+44 20 7946 0000" in unfolded
    assert "URL:https://www.linkedin.com/in/ada-lovelace" in unfolded
    assert "NOTE:Met at the Royal Society.\\nLikes poetry\\; and maths\\, too." in unfolded
    assert "CATEGORIES:London,Mentor" in unfolded


def test_exported_vcard_reads_back_into_the_same_person(owner, other, ada):
    result = import_file(other, "export.vcf", vcard_text(owner).encode())
    assert result.created == 1
    back = Person.objects.get(owner=other)
    assert (back.full_name, back.family_name, back.suffix) == (
        "Ada Lovelace, CPA",
        "Lovelace",
        "CPA",
    )
    assert back.organisation.name == "Analytical Engines; Babbage, Ltd"
    assert [e.address for e in back.emails.all()] == ["ada@example.org", "ada@home.example"]
    assert back.phones.get().number == "+442079460000"
    assert back.notes == ada.notes
    assert sorted(t.name for t in back.tags.all()) == ["London", "Mentor"]


def test_cli_exports_one_list(owner, ada, tmp_path):
    person_create(owner, PersonData(full_name="Bob Builder", contact_list="B"))
    runner = CliRunner()
    result = runner.invoke(get_app(), ["export", "vcard", str(tmp_path / "a.vcf"), "--list", "A"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "a.vcf").read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 1 and "Ada" in text and "Bob" not in text
    everyone = runner.invoke(get_app(), ["export", "vcard", str(tmp_path / "all.vcf")])
    assert "Wrote 2 cards" in everyone.output
