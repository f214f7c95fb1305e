"""The sign-in page tells a developer where `make run` wrote the demo team's key: the file in
this server's data directory, wherever HIREPATH_DATA_DIR put it."""

from __future__ import annotations

import httpx
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings
from tests.api.test_sessions import form_token
from tests.helpers import serving


async def test_the_sign_in_page_names_the_demo_key_file_of_this_data_directory(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    page = (await api.get("/signin")).text
    assert f"<code>{settings.demo_key_file}</code>" in page
    assert "<code>.data/demo-api-key</code>" not in page
    # and again after a wrong key, on the page that says so
    refused = await api.post(
        "/signin", data={"csrf_token": form_token(page), "api_key": "hp_1_wrong"}
    )
    assert refused.status_code == 401
    assert str(settings.demo_key_file) in refused.text


async def test_a_production_sign_in_page_names_no_file_of_the_server(
    settings: Settings, dev_env: WorkflowEnvironment
) -> None:
    production = settings.model_copy(update={"environment": "production"})
    async with serving(
        create_app(production, client=dev_env.client), "https://hirepath.test"
    ) as client:
        page = (await client.get("/signin")).text
    assert "API key" in page and "demo-api-key" not in page and "make run" not in page
