"""PostgreSQL only: trigram indexes so that searching titles and descriptions stays fast.

Django's ``icontains`` becomes ``UPPER(col) LIKE UPPER('%word%')``; a GIN trigram index on the
same expression serves it. pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner
can create it; where that is refused, search still works, only slower, and a warning says so.
"""

import logging

from django.db import DatabaseError, migrations

log = logging.getLogger(__name__)

INDEXES = {
    "report_title_trgm_idx": "UPPER(title::text)",
    "report_description_trgm_idx": "UPPER(description)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.db import transaction

    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for name, expression in INDEXES.items():
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON complaints_report "
                    f"USING gin ({expression} gin_trgm_ops)"
                )
    except DatabaseError as exc:  # pragma: no cover - depends on the server's privileges
        log.warning("trigram search indexes not created (search will be slower): %s", exc)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
