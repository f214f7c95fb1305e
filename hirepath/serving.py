"""How `hirepath api` runs uvicorn, in one place: the command and the tests use the same.

- A request line up to 2 MiB is read (h11's default, 16 KiB, drops the connection on a long
  query string instead of answering), so the API itself answers 414 past 8 KiB (api.limits).
- The access log leaves out query strings: they can hold an HR owner's email.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from uvicorn.config import LOGGING_CONFIG

from core.settings import Settings

MAX_REQUEST_HEAD_BYTES = 2 * 1024 * 1024


class WithoutQuery(logging.Filter):
    """uvicorn's access record, its path without the query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], args[2].split("?", 1)[0], args[3], args[4])
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's own logging, with the access log's query strings left out."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["without_query"] = {"()": f"{__name__}.WithoutQuery"}
    config["loggers"]["uvicorn.access"]["filters"] = ["without_query"]
    return config


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options for the API (uvicorn.run or uvicorn.Config take them as they are)."""
    return {
        "host": settings.host,
        "port": settings.port,
        "workers": settings.api_workers,
        "log_level": "info",
        "log_config": log_config(),
        "proxy_headers": True,
        "h11_max_incomplete_event_size": MAX_REQUEST_HEAD_BYTES,
    }
