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


def add_missing_columns(engine, metadata) -> list[str]:
    """Add the nullable columns a newer version of the models has to tables created by an older one
    (``create_all`` creates missing tables but never alters existing ones). Returns "table.column" added.

    Only nullable columns without a server default are added this way; anything else needs a real migration."""
    from sqlalchemy import inspect
    from sqlalchemy.schema import CreateColumn

    inspector = inspect(engine)
    added = []
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            if not inspector.has_table(table.name):
                continue
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in present or not column.nullable or column.primary_key:
                    continue
                ddl = CreateColumn(column).compile(dialect=engine.dialect)
                conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {ddl}")
                added.append(f"{table.name}.{column.name}")
    return added
