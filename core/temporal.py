"""Connecting to Temporal, the same way from the API, the worker and the tests.

Every payload is encrypted (core.crypto): the client's data converter carries the
codec, and failures' messages are encoded too, so nothing personal reaches Temporal's
store in plain text.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from pydantic import TypeAdapter
from temporalio.client import Client
from temporalio.contrib.pydantic import (
    PydanticJSONPlainPayloadConverter,
    PydanticPayloadConverter,
    pydantic_data_converter,
)
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes
from temporalio.runtime import Runtime
from temporalio.service import TLSConfig

from core.crypto import EncryptionCodec
from core.settings import Settings
from core.telemetry import client_interceptors

# Pydantic's type adapters, one cache per process. Temporal's converter caches them per
# converter instance, and the workflow sandbox makes a new converter for every workflow run,
# so each hire's first activation would build the schemas of its input, its updates and its
# activities' results again (measured: ~13% of the worker's CPU per hire start,
# docs/performance.md). Types are the keys; bounded, so re-imported types cannot pile up.
_ADAPTERS: functools._lru_cache_wrapper[TypeAdapter[Any]] = functools.lru_cache(maxsize=1024)(
    TypeAdapter
)


class PayloadConverter(PydanticPayloadConverter):
    """Temporal's pydantic payload converter, sharing the process's type adapters."""

    def __init__(self) -> None:
        super().__init__()
        for converter in self.converters.values():
            if isinstance(converter, PydanticJSONPlainPayloadConverter):
                converter._type_adapter = _ADAPTERS


# Without encryption: for replaying recorded histories and other offline work.
DATA_CONVERTER = dataclasses.replace(
    pydantic_data_converter, payload_converter_class=PayloadConverter
)


def data_converter(settings: Settings) -> DataConverter:
    return dataclasses.replace(
        DATA_CONVERTER,
        payload_codec=EncryptionCodec(settings.payload_keyring()),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


def tls_config(settings: Settings) -> TLSConfig | bool:
    """TLS for Temporal Cloud or a secured cluster: with an API key, a client certificate,
    a private CA, or HIREPATH_TEMPORAL_TLS=true; plain for the local dev server."""
    cert, key, ca = (
        settings.temporal_tls_cert,
        settings.temporal_tls_key,
        settings.temporal_tls_server_ca,
    )
    if cert or key or ca:
        return TLSConfig(
            client_cert=cert.read_bytes() if cert else None,
            client_private_key=key.read_bytes() if key else None,
            server_root_ca_cert=ca.read_bytes() if ca else None,
        )
    return settings.temporal_tls or bool(settings.temporal_api_key.get_secret_value())


async def connect(settings: Settings, *, runtime: Runtime | None = None) -> Client:
    """A client with hirepath's codec; traced when tracing is configured (core.telemetry); on
    ``runtime`` (the worker's, serving the SDK's metrics) when given."""
    return await Client.connect(
        settings.temporal,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings),
        api_key=settings.temporal_api_key.get_secret_value() or None,
        tls=tls_config(settings),
        interceptors=client_interceptors(settings),
        runtime=runtime,
    )
