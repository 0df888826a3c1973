"""Database helpers shared by the models."""
from __future__ import annotations

from sqlalchemy import DDL, Table, event


def make_append_only(table: Table) -> None:
    """Have the database refuse UPDATE and DELETE on ``table`` (SQLite and PostgreSQL triggers, created with it)."""
    name = table.name
    sqlite = [DDL(f"CREATE TRIGGER IF NOT EXISTS {name}_no_{op.lower()} BEFORE {op} ON {name} "
                  f"BEGIN SELECT RAISE(ABORT, '{name} is append-only'); END") for op in ("UPDATE", "DELETE")]
    postgres = [
        DDL(f"CREATE OR REPLACE FUNCTION {name}_append_only() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{name} is append-only'; END; $$ LANGUAGE plpgsql"),
        DDL(f"CREATE TRIGGER {name}_no_change BEFORE UPDATE OR DELETE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_append_only()"),
    ]
    for ddl in sqlite:
        event.listen(table, "after_create", ddl.execute_if(dialect="sqlite"))
    for ddl in postgres:
        event.listen(table, "after_create", ddl.execute_if(dialect="postgresql"))
