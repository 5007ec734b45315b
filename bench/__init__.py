"""Reproducible benchmarks of Grapevine and the data generator they share.

python -m bench.generate --contacts 30000 --seed 1 --data-dir /tmp/gv-bench
python -m bench.contacts --contacts 30000 --runs 50
"""

from __future__ import annotations

import os
from pathlib import Path


def setup_django(data_dir: Path | None, *, sqlite_only: bool = False) -> None:
    """Point Grapevine at ``data_dir`` and set Django up (settings read the environment once)."""
    if data_dir is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
        os.environ["GRAPEVINE_DATA_DIR"] = str(data_dir)
    if sqlite_only:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grapevine.settings")
    import django

    django.setup()
