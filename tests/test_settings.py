"""Settings come from the environment: the data folder, the secret key, the database.

Settings are read once per process, so each case loads them in a fresh Python.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from grapevine.env import env_bool, env_int, env_list, secret_key

SHOW_SETTINGS = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "grapevine.settings"
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "data_dir": str(settings.DATA_DIR),
    "secret_key": settings.SECRET_KEY,
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "host": db.get("HOST", ""),
    "port": db.get("PORT", ""),
    "options": {k: str(v) for k, v in db.get("OPTIONS", {}).items()},
}))
"""

DRIVING = (
    "GRAPEVINE_DATA_DIR",
    "GRAPEVINE_SECRET_KEY",
    "SECRET_KEY",
    "DATABASE_URL",
    "XDG_DATA_HOME",
)


def settings_with(**env: str) -> dict[str, Any]:
    clean = {
        k: v for k, v in os.environ.items() if k not in DRIVING and k != "DJANGO_SETTINGS_MODULE"
    }
    clean.update(env)
    result = subprocess.run(  # noqa: S603 - this Python, a fixed script
        [sys.executable, "-c", SHOW_SETTINGS],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_data_folder_comes_from_grapevine_data_dir(tmp_path: Path) -> None:
    folder = tmp_path / "my data"
    shown = settings_with(GRAPEVINE_DATA_DIR=str(folder))
    assert shown["data_dir"] == str(folder)
    assert folder.is_dir()
    assert shown["engine"] == "django.db.backends.sqlite3"
    assert shown["name"] == str(folder / "grapevine.sqlite3")
    assert "journal_mode=WAL" in shown["options"]["init_command"]
    assert shown["options"]["transaction_mode"] == "IMMEDIATE"


def test_default_data_folder_is_the_platforms_per_user_folder(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG_DATA_HOME is how Linux names the per-user data folder")
    shown = settings_with(XDG_DATA_HOME=str(tmp_path))
    assert shown["data_dir"] == str(tmp_path / "grapevine")


def test_secret_key_is_generated_once_private_and_reused(tmp_path: Path) -> None:
    first = settings_with(GRAPEVINE_DATA_DIR=str(tmp_path))
    key_file = tmp_path / "secret_key"
    assert key_file.read_text() == first["secret_key"]
    assert len(first["secret_key"]) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    again = settings_with(GRAPEVINE_DATA_DIR=str(tmp_path))
    assert again["secret_key"] == first["secret_key"]

    elsewhere = settings_with(GRAPEVINE_DATA_DIR=str(tmp_path / "other"))
    assert elsewhere["secret_key"] != first["secret_key"]


def test_secret_key_from_the_environment_wins_and_writes_nothing(tmp_path: Path) -> None:
    shown = settings_with(
        GRAPEVINE_DATA_DIR=str(tmp_path), GRAPEVINE_SECRET_KEY="given by the operator"
    )
    assert shown["secret_key"] == "given by the operator"
    assert not (tmp_path / "secret_key").exists()


def test_database_url_switches_to_postgresql(tmp_path: Path) -> None:
    shown = settings_with(
        GRAPEVINE_DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://grapevine:pw@db.example.org:5433/grapevine_prod",
    )
    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["name"] == "grapevine_prod"
    assert shown["host"] == "db.example.org"
    assert int(shown["port"]) == 5433


def test_env_helpers_read_typed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GV_FLAG", "Yes")
    monkeypatch.setenv("GV_NUMBER", " 42")
    monkeypatch.setenv("GV_HOSTS", "a.example, b.example,,")
    assert env_bool("GV_FLAG") is True
    assert env_bool("GV_UNSET", True) is True
    assert env_int("GV_NUMBER", 0) == 42
    assert env_list("GV_HOSTS", []) == ["a.example", "b.example"]


def test_env_helpers_name_the_variable_on_bad_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GV_FLAG", "perhaps")
    monkeypatch.setenv("GV_NUMBER", "many")
    with pytest.raises(ValueError, match="GV_FLAG must be one of yes/no"):
        env_bool("GV_FLAG")
    with pytest.raises(ValueError, match="GV_NUMBER must be a whole number"):
        env_int("GV_NUMBER", 1)


def test_secret_key_helper_never_overwrites_an_existing_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GRAPEVINE_SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("kept from last time\n")
    assert secret_key(tmp_path) == "kept from last time"
