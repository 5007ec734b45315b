"""How names, phones, LinkedIn addresses and organisation names are made comparable."""

from __future__ import annotations

import pytest

from grapevine.contacts.normalise import (
    canonical_linkedin_url,
    domain_from_website,
    format_phone,
    normalise_phone,
    organisation_key,
    parse_name,
)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("ACME Corp.", "acme"),
        ("Acme Corporation", "acme"),
        ("ACME CORPORATION", "acme"),
        ("The Boeing Company", "boeing"),
        ("Procter & Gamble Co.", "procter and gamble"),
        ("Société Générale S.A.", "societe generale"),
        ("Globex GmbH", "globex"),
    ],
)
def test_organisation_names_meet_on_one_key(written: str, key: str) -> None:
    assert organisation_key(written) == key


def test_credentials_stay_out_of_the_family_name() -> None:
    parts = parse_name("Maria Lopez, CPA")
    assert (parts.given_name, parts.family_name, parts.suffix) == ("Maria", "Lopez", "CPA")
    parts = parse_name(given="Maria", family="Lopez, CPA")
    assert (parts.family_name, parts.suffix, parts.full_name) == (
        "Lopez",
        "CPA",
        "Maria Lopez, CPA",
    )


def test_nickname_in_quotes_is_kept_apart() -> None:
    parts = parse_name(given='James "Tyler"', family="Smith")
    assert (parts.given_name, parts.nickname, parts.family_name) == ("James", "Tyler", "Smith")


def test_non_latin_and_emoji_names_survive() -> None:
    assert parse_name("Zoë Ørsted 🚀").full_name == "Zoë Ørsted 🚀"
    assert parse_name("李小龙").full_name == "李小龙"


@pytest.mark.parametrize(
    "written",
    [
        "https://www.linkedin.com/in/jose-garcia-123",
        "http://uk.linkedin.com/in/Jose-Garcia-123/",
        "linkedin.com/in/jose-garcia-123?trk=profile",
        "https://www.linkedin.com/in/jose%2Dgarcia%2D123",
    ],
)
def test_linkedin_profiles_have_one_canonical_form(written: str) -> None:
    assert canonical_linkedin_url(written) == "https://www.linkedin.com/in/jose-garcia-123"


def test_non_linkedin_addresses_are_not_profiles() -> None:
    assert canonical_linkedin_url("https://example.com/in/someone") == ""
    assert canonical_linkedin_url("https://www.linkedin.com/company/acme") == ""


def test_phones_are_normalised_to_e164_by_the_users_country() -> None:
    assert normalise_phone("(415) 555-0134", "US") == "+14155550134"
    assert normalise_phone("020 7946 0958", "GB") == "+442079460958"
    assert normalise_phone("+33 1 23 45 67 89", "US") == "+33123456789"
    # What cannot be parsed is kept as written, never lost.
    assert normalise_phone("ext. 12", "US") == "ext. 12"
    assert format_phone("+14155550134") == "+1 415-555-0134"


def test_domain_from_website() -> None:
    assert domain_from_website("https://www.acme.example/careers") == "acme.example"
    assert domain_from_website("acme.example") == "acme.example"


def test_organisation_suffix_stripping_matches_cleanco() -> None:
    """normalise._basename re-implements cleanco.basename's loop for speed; it must
    give the same answer for every legal term cleanco knows (guards a cleanco upgrade)."""
    from cleanco import basename
    from cleanco.clean import prepare_default_terms

    from grapevine.contacts.normalise import _basename

    names = ["Acme", "Globex Holdings", "Initech Group", "Société Générale", "Müller & Söhne"]
    checked = 0
    for _, term in prepare_default_terms():
        suffix = " ".join(term)
        for name in names:
            for written in (f"{name} {suffix}", f"{name}, {suffix}.", f"{name} {suffix.upper()}"):
                assert _basename(written) == basename(written), written
                checked += 1
    assert checked > 1000


def test_search_text_fast_path_equals_cleaning_each_part() -> None:
    from grapevine.contacts.normalise import clean_text
    from grapevine.contacts.services import search_text_from_parts

    cases = [
        ["Ada Lovelace", "", "Analytical Engines", "ada@example.org"],
        ["  Ada   Lovelace ", "Countess\u00a0of Lovelace", "", "TAG"],
        ["Zoë", "\tTabbed\nname", "李小龙", "🚀 rocket"],
        ["", "", ""],
    ]
    for parts in cases:
        expected = " ".join(clean_text(p).lower() for p in parts if p and clean_text(p))
        assert search_text_from_parts(parts) == expected, parts
