"""Connecting to Temporal, the same way from the API, the worker and the tests.

Every payload is encrypted (hirepath.crypto): the client's data converter carries the
codec, and failures' messages are encoded too, so nothing personal reaches Temporal's
store in plain text.
"""

from __future__ import annotations

import dataclasses

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes

from hirepath.crypto import EncryptionCodec
from hirepath.settings import Settings

# Without encryption: for replaying recorded histories and other offline work.
DATA_CONVERTER = pydantic_data_converter


def data_converter(settings: Settings) -> DataConverter:
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=EncryptionCodec(settings.payload_keyring()),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings),
    )
