#!/usr/bin/env bash
# Back up the database and the media (public MEDIA_ROOT and PRIVATE_MEDIA_ROOT) into one timestamped directory:
#   ops/backup.sh [DEST_PARENT]        (default var/backups; prints the directory it wrote)
# Settings come from the environment as for the app (DATABASE_URL, DJANGO_MEDIA_ROOT, DJANGO_PRIVATE_MEDIA_ROOT).
# PostgreSQL: pg_dump custom format (db.dump). SQLite: the sqlite3 backup API (db.sqlite3), safe while in use.
# Media: media.tar.gz, private.tar.gz. manifest.json: sizes, sha256 and the applied migrations; SHA256SUMS too.
# The directory is private (umask 077): it holds the private files and the whole database.
set -euo pipefail
umask 077

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$([ -x "$ROOT/.venv/bin/python" ] && echo "$ROOT/.venv/bin/python" || echo python3)}"
HELPER="$ROOT/ops/backup_helper.py"

eval "$("$PYTHON" "$HELPER" env)"

DEST_PARENT="${1:-$ROOT/var/backups}"
mkdir -p "$DEST_PARENT"
DEST="$DEST_PARENT/silkway-$(date -u +%Y%m%dT%H%M%SZ)"
[ -e "$DEST" ] && DEST="$DEST-$$"
mkdir "$DEST"

start=$EPOCHREALTIME
case "$DB_ENGINE" in
  postgresql)
    PGPASSWORD="$DB_PASSWORD" pg_dump --format=custom --no-owner --no-privileges \
      ${DB_HOST:+--host="$DB_HOST"} ${DB_PORT:+--port="$DB_PORT"} ${DB_USER:+--username="$DB_USER"} \
      --dbname="$DB_NAME" --file="$DEST/db.dump"
    ;;
  sqlite)
    "$PYTHON" "$HELPER" sqlite-copy "$DB_NAME" "$DEST/db.sqlite3"
    ;;
esac
db_done=$EPOCHREALTIME

archive() {  # archive DIR NAME: a tar of DIR's contents (an empty tar when DIR does not exist)
  if [ -d "$1" ]; then
    tar -C "$1" -czf "$DEST/$2" .
  else
    tar -czf "$DEST/$2" --files-from /dev/null
  fi
}
archive "$MEDIA_ROOT" media.tar.gz
archive "$PRIVATE_ROOT" private.tar.gz
files_done=$EPOCHREALTIME

"$PYTHON" "$HELPER" manifest "$DEST"
end=$EPOCHREALTIME

awk -v a="$start" -v b="$db_done" -v c="$files_done" -v d="$end" \
  'BEGIN { printf "backup: database %.2fs, media %.2fs, manifest %.2fs\n", b - a, c - b, d - c }' >&2
echo "$DEST"
