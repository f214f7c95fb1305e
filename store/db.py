"""The engine and sessions: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session

SessionFactory = Callable[[], Session]


def make_engine(url: str, *, pool_size: int = 10) -> sa.Engine:
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            pool_size=pool_size,
            max_overflow=pool_size,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")  # under the recorder's 15 s timeout
            cursor.close()

        return engine
    # A store that does not answer is noticed in seconds, never waited on: connecting gives up
    # after 5 s, and a statement after 30 s.
    return sa.create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_timeout=10,
        connect_args={"connect_timeout": 5, "options": "-c statement_timeout=30000"},
    )


def session_factory(engine: sa.Engine) -> SessionFactory:
    def new_session() -> Session:
        return Session(engine, expire_on_commit=False)

    return new_session


def release(session: Session) -> None:
    """End the session's read transaction so its connection goes back to the pool: call it
    before awaiting Temporal, so a request waiting on a workflow holds no connection. Loaded
    objects stay usable (sessions do not expire on commit)."""
    session.commit()


class SerializedSessions:
    """Sessions whose scopes take turns in this process. SQLite has one writer at a time
    and makes the others sleep and retry (the busy timeout, in growing steps): with dozens
    of activity threads writing, those sleeps, not the work, set the pace. The worker's
    writers queue on a lock instead (docs/performance.md); other processes still meet
    SQLite's own lock."""

    def __init__(self, factory: SessionFactory) -> None:
        self._factory = factory
        self.lock = threading.Lock()

    def __call__(self) -> Session:
        return self._factory()


@contextmanager
def session_scope(factory: SessionFactory) -> Iterator[Session]:
    lock = getattr(factory, "lock", None)
    with lock if lock is not None else nullcontext():
        session = factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
