"""Connecting to Temporal, the same way from the API, the worker and the tests."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from hirepath.settings import Settings

DATA_CONVERTER = pydantic_data_converter


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal,
        namespace=settings.temporal_namespace,
        data_converter=DATA_CONVERTER,
    )
