"""`grapevine serve` as a newcomer runs it: a real process, a real port, a fresh data folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import grapevine

STATIC_HTMX = Path(grapevine.__file__).parent / "static" / "vendor" / "htmx-2.0.11.min.js"


def grapevine_command() -> list[str]:
    script = Path(sys.executable).parent / "grapevine"
    return [str(script)] if script.exists() else [sys.executable, "-m", "grapevine.cli"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GRAPEVINE_SECRET_KEY"}}
    env["GRAPEVINE_DATA_DIR"] = str(data_dir)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a local test server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    port = free_port()
    data_dir = tmp_path / "data"
    process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [*grapevine_command(), "serve", "--no-browser", "--port", str(port)],
        env=fresh_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # migrating a fresh database on a busy machine
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"grapevine serve stopped early:\n{process.stdout.read() if process.stdout else ''}"
            )
        try:
            if get(f"{base}/healthz")[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("grapevine serve never answered")
        time.sleep(0.2)
    try:
        yield process, base, data_dir
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_fresh_instance_serves_create_your_account_and_static_files(served) -> None:  # type: ignore[no-untyped-def]
    process, base, data_dir = served
    status, body = get(f"{base}/")
    assert status == 200
    assert b"Create your account" in body

    status, script = get(f"{base}/static/vendor/htmx-2.0.11.min.js")
    assert status == 200
    assert script == STATIC_HTMX.read_bytes()

    # The data folder holds the database and the generated secret key.
    assert (data_dir / "grapevine.sqlite3").exists()
    assert (data_dir / "secret_key").exists()

    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert f"Grapevine is running at {base}" in output
    assert f"Data folder: {data_dir}" in output
    assert "Grapevine stopped." in output
    assert "Traceback" not in output


def test_ctrl_c_stops_it_cleanly(served) -> None:  # type: ignore[no-untyped-def]
    process, _base, _data_dir = served
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Grapevine stopped." in output


def test_a_taken_port_is_refused_clearly(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(  # noqa: S603 - our own command, fixed arguments
            [*grapevine_command(), "serve", "--no-browser", "--port", str(port)],
            env=fresh_env(tmp_path / "data"),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr
