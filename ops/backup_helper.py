"""Helper for ops/backup.sh and ops/restore.sh: reads the settings (DATABASE_URL, media roots) through Django and
does the parts that are easier in Python. Subcommands:

  env                 shell assignments: DB_ENGINE DB_NAME DB_HOST DB_PORT DB_USER DB_PASSWORD MEDIA_ROOT PRIVATE_ROOT
  migrations          the applied migrations, one "app.name" a line (empty when the database has no tables)
  table-count         how many tables the database has (restore refuses a database that has any)
  sqlite-copy SRC DST a consistent copy of an SQLite database (the sqlite3 backup API, safe while it is in use)
  manifest DIR        write DIR/manifest.json and DIR/SHA256SUMS (sizes, sha256, migration state)
  verify DIR          check DIR's files against its manifest
"""

import hashlib
import json
import os
import shlex
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _env():
    from django.conf import settings

    db = settings.DATABASES["default"]
    engine = "sqlite" if db["ENGINE"].endswith("sqlite3") else "postgresql" if "postgresql" in db["ENGINE"] else ""
    if not engine:
        sys.exit(f"backup: unsupported database engine {db['ENGINE']}")
    values = {
        "DB_ENGINE": engine,
        "DB_NAME": str(db["NAME"]),
        "DB_HOST": db.get("HOST") or "",
        "DB_PORT": str(db.get("PORT") or ""),
        "DB_USER": db.get("USER") or "",
        "DB_PASSWORD": db.get("PASSWORD") or "",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    for key, value in values.items():
        print(f"{key}={shlex.quote(value)}")


def _migrations() -> list[str]:
    from django.db import connection

    if "django_migrations" not in connection.introspection.table_names():
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _table_count() -> int:
    from django.db import connection

    return len(connection.introspection.table_names())


def _sqlite_copy(src: str, dst: str):
    if not Path(src).is_file():
        sys.exit(f"backup: no SQLite database at {src}")
    source = sqlite3.connect(src)
    target = sqlite3.connect(dst)
    with target:
        source.backup(target)
    source.close()
    target.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(directory: Path) -> list[Path]:
    skip = {"manifest.json", "SHA256SUMS"}
    return sorted(p for p in directory.iterdir() if p.is_file() and p.name not in skip)


def _manifest(directory: Path):
    from django.conf import settings
    from django.db import connection

    files = {p.name: {"bytes": p.stat().st_size, "sha256": _sha256(p)} for p in _files(directory)}
    applied = _migrations()
    manifest = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {"engine": connection.vendor, "name": str(settings.DATABASES["default"]["NAME"])},
        "media_root": str(settings.MEDIA_ROOT),
        "private_media_root": str(settings.PRIVATE_MEDIA_ROOT),
        "files": files,
        "migrations": {"applied_count": len(applied), "applied": applied},
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (directory / "SHA256SUMS").write_text("".join(f"{v['sha256']}  {name}\n" for name, v in files.items()))


def _verify(directory: Path):
    manifest = json.loads((directory / "manifest.json").read_text())
    bad = [
        name
        for name, expected in manifest["files"].items()
        if not (directory / name).is_file() or _sha256(directory / name) != expected["sha256"]
    ]
    if bad:
        sys.exit(f"restore: checksum mismatch or missing file: {', '.join(bad)}")


def main(argv: list[str]):
    command, args = argv[0], argv[1:]
    if command == "sqlite-copy":
        _sqlite_copy(*args)
        return
    if command == "verify":
        _verify(Path(args[0]))
        return
    _django()
    if command == "env":
        _env()
    elif command == "migrations":
        print("\n".join(_migrations()))
    elif command == "table-count":
        print(_table_count())
    elif command == "manifest":
        _manifest(Path(args[0]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:] or ["help"])
