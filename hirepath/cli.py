"""The `hirepath` command: run the stack or its parts, migrate the store, manage teams and keys."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Annotated

import typer

from core.settings import Settings
from store.db import SessionFactory

app = typer.Typer(
    help="hirepath: hiring workflows for Canadian work permits.", no_args_is_help=True
)
team_app = typer.Typer(help="HR teams.", no_args_is_help=True)
key_app = typer.Typer(help="API keys.", no_args_is_help=True)
db_app = typer.Typer(help="The store's schema.", no_args_is_help=True)
documents_app = typer.Typer(help="Stored documents.", no_args_is_help=True)
digest_app = typer.Typer(help="The Monday digest to each HR person.", no_args_is_help=True)
app.add_typer(team_app, name="team")
app.add_typer(key_app, name="key")
app.add_typer(db_app, name="db")
app.add_typer(documents_app, name="documents")
app.add_typer(digest_app, name="digest")


def _logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


@app.command()
def run() -> None:
    """Everything on this machine: Temporal dev server, worker and API (what `make run` does)."""
    from hirepath.run import main

    main()


@app.command()
def worker() -> None:
    """Run a worker (scale by running more)."""
    from hirepath.worker import run_worker

    _logging()
    asyncio.run(run_worker(Settings()))


@app.command()
def replay(
    limit: Annotated[
        int | None, typer.Option(help="Replay at most this many running hires")
    ] = None,
) -> None:
    """Replay the running hires' histories against this code (the deploy's gate): exits 1
    if any would break."""
    import asyncio

    from hirepath.replay import main

    _logging()
    raise typer.Exit(asyncio.run(main(limit)))


@app.command()
def api() -> None:
    """Serve the API with uvicorn on HIREPATH_HOST:HIREPATH_PORT."""
    import uvicorn

    from hirepath.serving import server_options

    uvicorn.run("api.main:app", **server_options(Settings()))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the migrations to HIREPATH_DATABASE_URL (SQLite in the data directory by default)."""
    from store.migrate import upgrade

    settings = Settings()
    _warn_if_new_store(settings)
    upgrade(settings.database)
    typer.echo("store is at the latest schema")


def _warn_if_new_store(settings: Settings) -> None:
    """On stderr, when this command is about to create a new SQLite store that is not the one
    `make run` uses (the one a running `hirepath run` uses, or else the default data
    directory's): a team or key made there would be unknown to that server. The command goes on."""
    from hirepath.processes import runner_stores, sqlite_file

    ours = sqlite_file(settings.database)
    if ours is None or ours.exists():
        return
    ours = ours.resolve()
    default_dir: Path = Settings.model_fields["data_dir"].default
    running = runner_stores(default_dir)
    if running:
        theirs = [
            f"the `hirepath run` now running (pid {pid}) uses {store}"
            for pid, store in sorted(running.items())
            if not isinstance(store, Path) or store.resolve() != ours
        ]
    else:
        default = (default_dir / "hirepath.db").resolve()
        theirs = (
            [] if ours == default else [f"`make run` (with no HIREPATH_ variables) uses {default}"]
        )
    if not theirs:
        return
    typer.echo(
        f"hirepath: warning: there is no store at {ours}, so this command creates a new, empty"
        f" one there; {'; '.join(theirs)}.\n"
        "  Teams and keys made in a new store are unknown to a server on another one: to use"
        " the store of `make run`, give this command the same HIREPATH_DATA_DIR (or"
        " HIREPATH_DATABASE_URL), from the same directory.",
        err=True,
    )


def _sessions() -> SessionFactory:
    from store.db import make_engine, session_factory
    from store.migrate import upgrade

    settings = Settings()
    _warn_if_new_store(settings)
    upgrade(settings.database)
    return session_factory(make_engine(settings.database, pool_size=1))


@team_app.command("create")
def team_create(name: Annotated[str, typer.Argument(help="The team's name")]) -> None:
    """Create an HR team and print its first API key (shown only now)."""
    from store.db import session_scope
    from store.teams import create_key, create_team

    with session_scope(_sessions()) as session:
        team = create_team(session, name=name)
        new = create_key(session, team_id=team.id, name="first key")
    typer.echo(f"team {team.id} ({name})")
    typer.echo(f"API key: {new.key}")


@key_app.command("create")
def key_create(
    team_id: Annotated[str, typer.Option("--team", help="The team's id")],
    name: Annotated[str, typer.Option(help="What the key is for")] = "",
) -> None:
    """Add an API key to a team and print it (shown only now)."""
    from store.db import session_scope
    from store.models import Team
    from store.teams import create_key

    with session_scope(_sessions()) as session:
        if session.get(Team, team_id) is None:
            raise typer.BadParameter(f"no team {team_id}", param_hint="--team")
        new = create_key(session, team_id=team_id, name=name)
    typer.echo(f"key {new.key_id}")
    typer.echo(f"API key: {new.key}")


@key_app.command("list")
def key_list(team_id: Annotated[str | None, typer.Option("--team")] = None) -> None:
    """List keys (never the secret): id, team, name, created, last used, revoked."""
    from store.teams import list_keys

    with _sessions()() as session:
        for row in list_keys(session, team_id=team_id):
            revoked = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
            used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never used"
            typer.echo(
                f"{row.id}  team {row.team_id}  hp_{row.prefix}_…  {row.name or '-'}  {used}  {revoked}"
            )


@key_app.command("revoke")
def key_revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id (from `key list`)")],
) -> None:
    """Revoke a key: it gets 401 from then on."""
    from store.db import session_scope
    from store.teams import revoke_key

    with session_scope(_sessions()) as session:
        if not revoke_key(session, key_id=key_id):
            raise typer.BadParameter(f"no active key {key_id}")
    typer.echo(f"revoked {key_id}")


@documents_app.command("collect")
def documents_collect(
    older_than: Annotated[
        str,
        typer.Option(
            help="Only files untouched this long (30s, 15m, 1h, 7d): spares uploads in flight"
        ),
    ] = "1h",
) -> None:
    """Delete document files no hire names: uploads never accepted, and files no document
    row names. Prints counts only."""
    from hirepath.documents import collect, parse_age, report

    try:
        age = parse_age(older_than)
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--older-than") from None
    typer.echo(report(collect(Settings(), _sessions(), age)))


@digest_app.command("schedule")
def digest_schedule() -> None:
    """Create the Monday digest's Temporal Schedule (Mondays at 08:00 Eastern), or give the
    one there the current spec; a paused schedule stays paused. Run it once per deploy."""
    from hirepath.digest import schedule_digest

    typer.echo(asyncio.run(schedule_digest(Settings())).said())


@digest_app.command("send-now")
def digest_send_now(
    team_id: Annotated[str, typer.Option("--team", help="Only this team's HR people")] = "",
) -> None:
    """Send this week's digest now (a worker must be running). Whoever had it this week does
    not get it again; an HR person with nothing to hear about gets nothing."""
    from temporalio.client import WorkflowFailureError

    from hirepath.digest import SEND_NOW_TIMEOUT, send_digest_now

    settings = Settings()
    try:
        result = asyncio.run(send_digest_now(settings, team_id))
    except WorkflowFailureError as err:
        typer.echo(
            f"the digest did not finish ({type(err.cause).__name__}); it waits up to "
            f"{SEND_NOW_TIMEOUT.seconds // 60} minutes for a worker on task queue "
            f"{settings.task_queue}: is one running?",
            err=True,
        )
        raise typer.Exit(1) from None
    already = result.people - result.sent - result.failed
    typer.echo(
        f"week {result.week}: {result.sent} sent, {already} already sent this week"
        + (
            f", {result.failed} refused by the mail server (see the worker's log)"
            if result.failed
            else ""
        )
    )


if __name__ == "__main__":
    app()
