"""Loaded by pytest before Django is configured (``-p grapevine.testenv`` in pyproject).

It keeps test runs out of the developer's own data folder: the settings module
reads GRAPEVINE_DATA_DIR at import, which happens before any conftest loads.
"""

import os
import tempfile

os.environ["GRAPEVINE_DATA_DIR"] = tempfile.mkdtemp(prefix="grapevine-test-")
os.environ.setdefault("GRAPEVINE_SECRET_KEY", "test-only-not-secret")
