"""ops/backup.sh and ops/restore.sh, run for real on SQLite in temporary directories: the restored database and
media roots equal the source (rows, file hashes), and restore refuses a target that is not empty.

The source database is a small hand-made one (a django_migrations table and a table of rows): the scripts copy
whatever the database holds, and migrating a fresh one would cost most of the test's time.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not (shutil.which("bash") and shutil.which("tar")), reason="needs bash and tar")


def _env(tmp_path, name):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL"}}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / name / 'db.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(tmp_path / name / "media"),
        DJANGO_PRIVATE_MEDIA_ROOT=str(tmp_path / name / "private"),
    )
    return env


def _run(script, *args, env):
    return subprocess.run(
        ["bash", str(ROOT / "ops" / script), *map(str, args)], env=env, capture_output=True, text=True, timeout=120
    )


def _rows(db: Path):
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
            for table in ("django_migrations", "accounts_user")
        }


def _hashes(root: Path):
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def test_backup_then_restore_gives_back_the_database_and_the_files(tmp_path):
    src = tmp_path / "src"
    (src / "private" / "contracts").mkdir(parents=True)
    (src / "media" / "products").mkdir(parents=True)
    (src / "private" / "contracts" / "signed.pdf").write_bytes(b"%PDF private " * 500)
    (src / "media" / "products" / "photo.jpg").write_bytes(bytes(range(256)) * 20)
    with sqlite3.connect(src / "db.sqlite3") as conn:
        conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT, applied TEXT)")
        conn.executemany(
            "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2026-01-01')",
            [("accounts", "0001_initial"), ("marketplace", "0001_initial")],
        )
        conn.execute("CREATE TABLE accounts_user (id INTEGER PRIMARY KEY, email TEXT UNIQUE)")
        conn.executemany("INSERT INTO accounts_user (email) VALUES (?)", [(f"u{i}@example.com",) for i in range(50)])

    backup = _run("backup.sh", tmp_path / "backups", env=_env(tmp_path, "src"))
    assert backup.returncode == 0, backup.stderr
    directory = Path(backup.stdout.strip().splitlines()[-1])
    assert directory.parent == tmp_path / "backups" and directory.name.startswith("silkway-")
    manifest = json.loads((directory / "manifest.json").read_text())
    assert set(manifest["files"]) == {"db.sqlite3", "media.tar.gz", "private.tar.gz"}
    assert manifest["migrations"]["applied"] == ["accounts.0001_initial", "marketplace.0001_initial"]
    assert oct(directory.stat().st_mode & 0o777) == "0o700"

    restore = _run("restore.sh", directory, env=_env(tmp_path, "dst"))
    assert restore.returncode == 0, restore.stderr
    dst = tmp_path / "dst"
    assert _rows(dst / "db.sqlite3") == _rows(src / "db.sqlite3")
    assert _hashes(dst / "media") == _hashes(src / "media") != {}
    assert _hashes(dst / "private") == _hashes(src / "private") != {}

    again = _run("restore.sh", directory, env=_env(tmp_path, "dst"))
    assert again.returncode != 0
    assert "restore only into an empty database" in again.stderr

    (directory / "private.tar.gz").write_bytes(b"tampered")
    tampered = _run("restore.sh", directory, env=_env(tmp_path, "other"))
    assert tampered.returncode != 0
    assert "checksum mismatch" in tampered.stderr
