"""Test settings, in one place: the suite runs on these (pyproject's DJANGO_SETTINGS_MODULE).

Everything else comes from config.settings and the environment, so CI's DATABASE_URL still picks the database.
"""

from .settings import *  # noqa: F403

# Hashing is not under test: the default PBKDF2 cost is most of the time of every login and user factory.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No test uses serialized_rollback, so the test database's contents need not be serialized after it is created
# (pytest-xdist creates one database per worker).
DATABASES["default"].setdefault("TEST", {})["SERIALIZE"] = False  # noqa: F405

# The live server's request threads (browser tests) and the race tests' threads each open a connection; persistent
# connections would outlive their threads and keep the test database from being dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# PostgreSQL: a test database is thrown away, so a commit need not wait for its WAL to reach the disk. Per connection
# (no server setting changes); the suite commits often (transactional tests, on_commit tests, migrations).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # noqa: F405
