"""Backup and restore of the whole database: SQLite by file copy, PostgreSQL with pg_dump/pg_restore."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(Exception):
    pass


def _pg_args() -> tuple[list[str], dict]:
    settings = connection.settings_dict
    args = [
        "--host",
        settings["HOST"] or "localhost",
        "--port",
        str(settings["PORT"] or 5432),
        "--username",
        settings["USER"] or "postgres",
        "--dbname",
        settings["NAME"],
    ]
    env = {"PGPASSWORD": settings["PASSWORD"]} if settings["PASSWORD"] else {}
    return args, env


def backup_database(*, target: Path) -> Path:
    """Write a consistent copy of the database to `target` (a .sqlite3 file or a pg_dump archive)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        path = target.with_suffix(".sqlite3")
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)  # SQLite's online backup: consistent while the site runs
        finally:
            copy.close()
        return path
    if connection.vendor == "postgresql":
        path = target.with_suffix(".pgdump")
        args, env = _pg_args()
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [shutil.which("pg_dump") or "pg_dump", "--format=custom", "--no-owner", "--file", str(path), *args],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_dump mislukt: {result.stderr.strip()}")
        return path
    raise BackupError(f"Geen back-up voor databank van het type {connection.vendor}.")


def restore_database(*, source: Path) -> None:
    """Replace the database's content with a backup made by backup_database."""
    if not source.exists():
        raise BackupError(f"{source}: bestand niet gevonden.")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        backup = sqlite3.connect(source)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
        return
    if connection.vendor == "postgresql":
        connection.close()
        args, env = _pg_args()
        result = subprocess.run(  # noqa: S603
            [
                shutil.which("pg_restore") or "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(source),
            ],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_restore mislukt: {result.stderr.strip()}")
        return
    raise BackupError(f"Geen herstel voor databank van het type {connection.vendor}.")
