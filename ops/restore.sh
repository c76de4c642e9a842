#!/usr/bin/env bash
# Restore a backup written by ops/backup.sh into an EMPTY database and empty media roots:
#   ops/restore.sh BACKUP_DIR
# The target is what the environment names, as for the app: DATABASE_URL (the database must exist and have no
# tables; PostgreSQL: `createdb` it first), DJANGO_MEDIA_ROOT and DJANGO_PRIVATE_MEDIA_ROOT (absent or empty).
# Checks the files against the manifest first, and the applied migrations against it afterwards.
set -euo pipefail
umask 077

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$([ -x "$ROOT/.venv/bin/python" ] && echo "$ROOT/.venv/bin/python" || echo python3)}"
HELPER="$ROOT/ops/backup_helper.py"

SRC="${1:?usage: ops/restore.sh BACKUP_DIR}"
SRC="$(cd "$SRC" && pwd)"
[ -f "$SRC/manifest.json" ] || { echo "restore: no manifest.json in $SRC" >&2; exit 1; }

start=$EPOCHREALTIME
"$PYTHON" "$HELPER" verify "$SRC"
eval "$("$PYTHON" "$HELPER" env)"

tables="$("$PYTHON" "$HELPER" table-count)"
if [ "$tables" != "0" ]; then
  echo "restore: the target database $DB_NAME has $tables tables; restore only into an empty database" >&2
  exit 1
fi
for dir in "$MEDIA_ROOT" "$PRIVATE_ROOT"; do
  if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
    echo "restore: $dir is not empty; restore only into empty media roots" >&2
    exit 1
  fi
done

case "$DB_ENGINE" in
  postgresql)
    [ -f "$SRC/db.dump" ] || { echo "restore: $SRC has no db.dump (a PostgreSQL backup)" >&2; exit 1; }
    PGPASSWORD="$DB_PASSWORD" pg_restore --no-owner --no-privileges --exit-on-error \
      ${DB_HOST:+--host="$DB_HOST"} ${DB_PORT:+--port="$DB_PORT"} ${DB_USER:+--username="$DB_USER"} \
      --dbname="$DB_NAME" "$SRC/db.dump"
    ;;
  sqlite)
    [ -f "$SRC/db.sqlite3" ] || { echo "restore: $SRC has no db.sqlite3 (an SQLite backup)" >&2; exit 1; }
    rm -f "$DB_NAME" "$DB_NAME-wal" "$DB_NAME-shm"  # an empty (table-less) file, checked above
    mkdir -p "$(dirname "$DB_NAME")"
    "$PYTHON" "$HELPER" sqlite-copy "$SRC/db.sqlite3" "$DB_NAME"
    ;;
esac
db_done=$EPOCHREALTIME

mkdir -p "$MEDIA_ROOT" "$PRIVATE_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$SRC/media.tar.gz"
tar -C "$PRIVATE_ROOT" -xzf "$SRC/private.tar.gz"
files_done=$EPOCHREALTIME

expected="$("$PYTHON" -c 'import json, sys; print("\n".join(json.load(open(sys.argv[1]))["migrations"]["applied"]))' \
  "$SRC/manifest.json")"
if [ "$("$PYTHON" "$HELPER" migrations)" != "$expected" ]; then
  echo "restore: the restored database's applied migrations differ from the manifest's" >&2
  exit 1
fi
end=$EPOCHREALTIME

awk -v a="$start" -v b="$db_done" -v c="$files_done" -v d="$end" \
  'BEGIN { printf "restore: checks and database %.2fs, media %.2fs, migration check %.2fs\n", b - a, c - b, d - c }' >&2
echo "restore: done from $SRC" >&2
