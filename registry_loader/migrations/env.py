"""Alembic environment: the connection comes from `registry_loader.db` (programmatic
upgrade) or, for a developer's `alembic` command, from $CIVREG_DB / civreg.db."""

from alembic import context
from sqlalchemy import Connection

from registry_loader.db import make_engine, resolve_url
from registry_loader.models import Base, in_models

target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: Alembic copies and swaps the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=in_models,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    if context.is_offline_mode():
        raise SystemExit("offline (--sql) migrations are not supported: pass a database")
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    engine = make_engine(resolve_url(context.config.get_main_option("sqlalchemy.url")))
    try:
        with engine.connect() as conn:
            run(conn)
            conn.commit()
    finally:
        engine.dispose()


main()
