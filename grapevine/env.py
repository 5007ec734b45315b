"""Small typed readers for the environment variables that drive settings.

Every setting an operator may change comes from the environment (healthchecks'
``envbool``/``envint`` style), so one ``settings.py`` serves a laptop and a
hosted instance alike.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from platformdirs import user_data_dir

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be one of yes/no/true/false/1/0, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """The folder that holds the SQLite database and the generated secret key.

    ``GRAPEVINE_DATA_DIR`` wins; otherwise the platform's per-user data folder
    (``~/.local/share/grapevine`` on Linux).
    """
    path = Path(env_str("GRAPEVINE_DATA_DIR") or user_data_dir("grapevine", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """``GRAPEVINE_SECRET_KEY`` when given, else a key generated once into the data folder."""
    given = env_str("GRAPEVINE_SECRET_KEY") or env_str("SECRET_KEY")
    if given:
        return given
    key_file = folder / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Create with owner-only permissions before writing, so the key is never world-readable.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
