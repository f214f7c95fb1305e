"""Activity errors without personal data.

A store error's text carries the SQL and its parameters (names, emails), and Temporal's SDK
logs a failed activity's error in the worker's log: so it leaves here as its type and
SQLSTATE only. A connection or server problem is retried; a data error (SQLSTATE class 22,
or an integrity violation other than a unique key's race, class 23) would fail the same way on every retry, so it is not
retried: it is logged as an error (an operator's alert) and the workflow carries on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DataError, DBAPIError, SQLAlchemyError
from temporalio.exceptions import ApplicationError

log = logging.getLogger("hirepath.store")


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
        message = f"store error: {type(err).__name__} {code}".strip()
        if _data_error(err, code):
            log.error("the store refused the data for good (%s); not retried", message)
            raise ApplicationError(message, type="StoreDataError", non_retryable=True) from None
        raise ApplicationError(message, type="StoreError") from None


def _data_error(err: SQLAlchemyError, sqlstate: str) -> bool:
    """Data the store will never take. A unique violation (23505) is a race another attempt
    won, which a retry resolves, so it is not one."""
    if sqlstate:
        return sqlstate[:2] == "22" or (sqlstate[:2] == "23" and sqlstate != "23505")
    return isinstance(err, DataError)
