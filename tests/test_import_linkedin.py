"""Each LinkedIn export variant seen in the wild imports (issue 3)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from grapevine.contacts.models import Person
from grapevine.journal.models import Entry, Kind
from grapevine.transfer.services import import_file, import_path

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "transfer"


def test_2023_export_with_preamble_quotes_credentials_and_encoded_urls(owner):
    result = import_path(owner, DATA / "connections_2023.csv")
    assert (result.format, result.created) == ("linkedin-connections", 4)
    assert [(p.line, p.reason) for p in result.skipped] == [
        (9, "No name, only a date: a connection who left LinkedIn.")
    ]
    james = Person.objects.get(owner=owner, family_name="Brooks")
    assert (james.given_name, james.nickname) == ("James", "Tyler")
    assert james.organisation.name == "Smith, Jones & Co"
    maria = Person.objects.get(owner=owner, given_name="Maria")
    assert (maria.family_name, maria.suffix, maria.full_name) == (
        "Lopez",
        "CPA",
        "Maria Lopez, CPA",
    )
    assert maria.linkedin_url == "https://www.linkedin.com/in/maria-lopéz"
    assert maria.primary_email == "maria@example.org"
    assert Person.objects.filter(owner=owner, full_name="Zoë 🚀 Müller").exists()
    assert Person.objects.filter(owner=owner, full_name="王 芳").exists()


def test_2022_export_without_url_matches_by_name_and_organisation_on_reimport(owner):
    first = import_path(owner, DATA / "connections_2022.csv")
    assert first.created == 2
    linus = Person.objects.get(owner=owner, family_name="Torvalds")
    assert linus.linkedin_url == "" and linus.organisation.name == "Linux Foundation"
    again = import_path(owner, DATA / "connections_2022.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_2018_export_drops_member_urns_and_reads_us_dates(owner):
    result = import_path(owner, DATA / "connections_2018.csv")
    assert result.created == 2
    barbara = Person.objects.get(owner=owner, family_name="Liskov")
    assert not barbara.emails.exists()  # urn:li:member:… is not an address
    connected = Entry.objects.get(owner=owner, kind=Kind.CONNECTED, people=barbara)
    assert connected.occurred_at.date().isoformat() == "2018-01-08"
    ken = Person.objects.get(owner=owner, family_name="Thompson")
    assert ken.primary_email == "ken@example.org"


def test_excel_resaved_file_with_bom_crlf_and_short_dates(owner):
    result = import_path(owner, DATA / "connections_excel.csv")
    assert result.created == 2
    assert [p.line for p in result.skipped] == [3]
    margaret = Person.objects.get(owner=owner, family_name="Hamilton")
    assert margaret.given_name == "Margaret"  # no BOM glued to the first column
    entry = Entry.objects.get(owner=owner, kind=Kind.CONNECTED, people=margaret)
    assert entry.occurred_at.date().isoformat() == "2023-04-23"


def test_invitations_and_messages_become_journal_entries_linked_by_url_or_name(owner):
    import_path(owner, DATA / "connections_2022.csv")
    grace = Person.objects.get(owner=owner, family_name="Hopper")
    linus = Person.objects.get(owner=owner, family_name="Torvalds")

    invitations = import_path(owner, DATA / "Invitations.csv")
    assert (invitations.format, invitations.created) == ("linkedin-invitations", 2)
    sent = Entry.objects.get(owner=owner, source="linkedin:invitations", kind=Kind.MESSAGE_SENT)
    assert list(sent.people.all()) == [grace]
    assert "compilers" in sent.notes
    received = Entry.objects.get(
        owner=owner, source="linkedin:invitations", kind=Kind.MESSAGE_RECEIVED
    )
    assert list(received.people.all()) == [linus]

    messages = import_path(owner, DATA / "messages_2024.csv")
    assert (messages.format, messages.created) == ("linkedin-messages", 3)
    assert [p.reason for p in messages.skipped] == ["A draft that was never sent."]
    to_grace = Entry.objects.get(
        owner=owner, source="linkedin:messages", people=grace, kind=Kind.MESSAGE_SENT
    )
    assert to_grace.occurred_at.isoformat().startswith("2024-05-30T14:03:12")
    assert (
        Entry.objects.filter(
            owner=owner, people=grace, kind=Kind.MESSAGE_RECEIVED, source="linkedin:messages"
        ).count()
        == 1
    )
    assert (
        Entry.objects.filter(
            owner=owner, people=linus, kind=Kind.MESSAGE_SENT, source="linkedin:messages"
        ).count()
        == 1
    )

    assert import_path(owner, DATA / "messages_2024.csv").created == 0
    assert import_path(owner, DATA / "Invitations.csv").created == 0


def test_older_messages_file_without_to_column_works_out_who_wrote(owner):
    import_path(owner, DATA / "connections_2022.csv")
    grace = Person.objects.get(owner=owner, family_name="Hopper")
    result = import_path(owner, DATA / "messages_old.csv")
    assert result.created == 3
    from_grace = Entry.objects.get(
        owner=owner, source="linkedin:messages", kind=Kind.MESSAGE_RECEIVED
    )
    assert list(from_grace.people.all()) == [grace]
    assert (
        Entry.objects.filter(
            owner=owner, source="linkedin:messages", kind=Kind.MESSAGE_SENT
        ).count()
        == 2
    )


def test_a_whole_linkedin_export_zip_imports_in_one_go(owner):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(DATA / "messages_2024.csv", "Basic_LinkedInDataExport/messages.csv")
        archive.write(DATA / "connections_2022.csv", "Basic_LinkedInDataExport/Connections.csv")
        archive.write(DATA / "Invitations.csv", "Basic_LinkedInDataExport/Invitations.csv")
        archive.writestr("Basic_LinkedInDataExport/Profile.csv", "First Name\nSam\n")
    result = import_file(owner, "Basic_LinkedInDataExport.zip", buffer.getvalue())
    assert result.format == "linkedin-export"
    assert result.created == 2 + 2 + 3  # people, invitations, messages
    assert [p.reason for p in result.skipped] == ["messages.csv: A draft that was never sent."]
    grace = Person.objects.get(owner=owner, family_name="Hopper")
    assert (
        Entry.objects.filter(owner=owner, people=grace).count() == 1 + 1 + 2
    )  # connected, invitation, messages
    assert import_file(owner, "export.zip", buffer.getvalue()).created == 0


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        # The usual export form takes the fast path; the others the full parser.
        ("https://www.linkedin.com/in/ada-lovelace", "https://www.linkedin.com/in/ada-lovelace"),
        ("https://www.linkedin.com/in/Ada-Lovelace/", "https://www.linkedin.com/in/ada-lovelace"),
        (
            "https://www.linkedin.com/in/zoë-müller-1a2b",
            "https://www.linkedin.com/in/zoë-müller-1a2b",
        ),
        (
            "https://www.linkedin.com/in/ken-o%E2%80%99brien-4b1a2",
            "https://www.linkedin.com/in/ken-o\u2019brien-4b1a2",
        ),
        ("https://uk.linkedin.com/in/ada?trk=x", "https://www.linkedin.com/in/ada"),
        ("https://www.linkedin.com/in/%E6%9D%8E", "https://www.linkedin.com/in/\u674e"),
        ("https://www.linkedin.com/company/acme", ""),
        ("https://evil.example/in/ada-lovelace", ""),
    ],
)
def test_profile_urls_from_exports_are_canonical(url, canonical):
    from grapevine.transfer.formats.base import profile_url

    assert profile_url(url) == canonical
