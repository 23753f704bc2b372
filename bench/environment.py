"""What every benchmark shares: production settings, against a database and a Redis of the
benchmarks' own unless the environment names others, and a fresh database on request."""

import os
import statistics
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/centricity_bench",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/13",
    "CACHE_URL": "redis://127.0.0.1:6379/13",
    "SECRET_KEY": "bench-only-not-secret",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "EMAIL_URL": "memorymail://",
    # Served over plain HTTP on loopback: the load tool says it came through HTTPS.
    "SECURE_SSL_REDIRECT": "false",
    "LOG_LEVEL": "WARNING",
}


def configure() -> None:
    """Set the defaults above (what the environment sets wins) and start Django."""
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database() -> None:
    """Drop the benchmark database, create it empty and migrate it: every figure in
    bench/README.md is measured on a clean database."""
    import psycopg

    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    url = urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def median(values: list[float]) -> float:
    return statistics.median(values)
