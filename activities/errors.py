"""Activity errors without personal data.

A store error's text carries the SQL and its parameters (names, emails), and Temporal's SDK
logs a failed activity's error in the worker's log: so it leaves here as its type and
SQLSTATE only, and the activity is retried.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from temporalio.exceptions import ApplicationError


@contextmanager
def store_errors() -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as err:
        code = (
            getattr(getattr(err, "orig", None), "sqlstate", "")
            if isinstance(err, DBAPIError)
            else ""
        )
        raise ApplicationError(
            f"store error: {type(err).__name__} {code}".strip(), type="StoreError"
        ) from None
