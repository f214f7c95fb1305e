"""docker-compose.yml and the Dockerfile agree with the code (Docker does not run here)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from typer.main import get_command

from hirepath.cli import app
from hirepath.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def hirepath_services() -> dict[str, dict]:  # type: ignore[type-arg]
    return {n: s for n, s in COMPOSE["services"].items() if s.get("build")}


def test_every_hirepath_variable_is_a_setting() -> None:
    fields = {f"HIREPATH_{name.upper()}" for name in Settings.model_fields}
    for name, service in hirepath_services().items():
        for variable in service["environment"]:
            if variable.startswith("HIREPATH_"):
                assert variable in fields, (name, variable)


def test_production_settings_are_all_given_and_secrets_have_no_default() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    for service in hirepath_services().values():
        env = service["environment"]
        assert env["HIREPATH_ENVIRONMENT"] == "production"
        for required in (
            "HIREPATH_DATABASE_URL",
            "HIREPATH_TEMPORAL_ADDRESS",
            "HIREPATH_BASE_URL",
            "HIREPATH_SESSION_SECRET",
        ):
            assert env.get(required), required
    for secret in re.findall(r"\$\{(\w*(?:PASSWORD|SECRET)\w*)([^}]*)\}", text):
        assert secret[1].startswith(":?"), f"{secret[0]} must refuse to start when unset"


def test_every_long_running_service_has_a_health_check() -> None:
    for name, service in COMPOSE["services"].items():
        if name != "migrate":
            assert "healthcheck" in service, name


def test_commands_are_entry_points_of_the_hirepath_command() -> None:
    cli = get_command(app)
    commands = set(cli.commands)  # type: ignore[attr-defined]
    for name, service in hirepath_services().items():
        program, sub, *_ = service["command"]
        assert program == "hirepath" and sub in commands, name
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["hirepath", "api"]' in dockerfile
    assert "api" in commands and "worker" in commands


def test_production_refuses_to_start_without_its_settings() -> None:
    import pytest

    with pytest.raises(ValueError, match="HIREPATH_DATABASE_URL"):
        Settings(environment="production")
