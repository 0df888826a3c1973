"""Alembic environment: the app's engine and models (run through `flask --app webapp db ...` or init-db)."""
import logging

from alembic import context
from flask import current_app

config = context.config
logger = logging.getLogger("alembic.env")
migrate_ext = current_app.extensions["migrate"]
target_db = migrate_ext.db


def run_migrations_offline():
    """`flask db upgrade --sql`: print the SQL instead of running it."""
    context.configure(url=target_db.engine.url.render_as_string(hide_password=False),
                      target_metadata=target_db.metadata, literal_binds=True, **migrate_ext.configure_args)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        # `db migrate` with no model change writes no empty revision.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(migrate_ext.configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    with target_db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
