"""docker-compose.yml and the Dockerfile agree with the code (Docker does not run here)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.main import get_command

from core.settings import Settings
from hirepath.cli import app
from tests.conftest import free_port

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


def _resolved(env: dict[str, str]) -> dict[str, str]:
    """The environment as compose would pass it: required variables given a sample value,
    defaults (``${X:-default}``) taken."""

    def one(match: re.Match[str]) -> str:
        name, rest = match.group(1), match.group(2)
        if rest.startswith(":-"):
            return rest[2:]
        if name.endswith("_KEYS"):
            return SAMPLE_KEYS
        return "k1" if name.endswith("_KEY_ID") else f"sample-{name.lower()}"

    return {k: re.sub(r"\$\{(\w+)([^}]*)\}", one, str(v)) for k, v in env.items()}


SAMPLE_KEYS = "k1:" + "A" * 43 + "="  # 32 bytes of zeros, base64: a well-formed AES-256 key


def test_production_settings_are_all_given_and_secrets_have_no_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, service in hirepath_services().items():
        env = _resolved(service["environment"])
        assert env["HIREPATH_ENVIRONMENT"] == "production"
        for variable in [v for v in os.environ if v.startswith("HIREPATH_")]:
            monkeypatch.delenv(variable)
        for variable, value in env.items():
            monkeypatch.setenv(variable, value)
        settings = Settings()  # production refuses to load when a required setting is missing
        assert settings.database.startswith("postgresql"), name
        assert settings.payload_keyring() is not None and settings.document_keyring() is not None
    text = (ROOT / "docker-compose.yml").read_text()
    secrets = re.findall(r"\$\{(\w*(?:PASSWORD|SECRET|KEYS|KEY_ID)\w*)([^}]*)\}", text)
    assert {name for name, _ in secrets} >= {
        "HIREPATH_SESSION_SECRET", "HIREPATH_PAYLOAD_KEYS", "HIREPATH_DOCUMENT_KEYS",
        "HIREPATH_STORE_DB_PASSWORD", "TEMPORAL_DB_PASSWORD",
    }  # fmt: skip
    for secret, rest in secrets:
        assert rest.startswith(":?"), f"{secret} must refuse to start when unset"


def test_every_long_running_service_has_a_health_check_and_waits_for_what_it_needs() -> None:
    services = COMPOSE["services"]
    one_shot = {n for n, s in services.items() if s.get("restart") == "no"}
    assert one_shot == {"temporal-schema", "temporal-namespace", "migrate", "digest-schedule"}
    for name, service in services.items():
        if name not in one_shot:
            assert "healthcheck" in service, name
        for needed, condition in service.get("depends_on", {}).items():
            expected = "service_completed_successfully" if needed in one_shot else "service_healthy"
            assert condition == {"condition": expected}, (name, needed)
    # the order a fresh cluster needs: schema, server, namespace, then hirepath
    assert "temporal-schema" in services["temporal"]["depends_on"]
    for name in ("api", "worker"):
        assert {"migrate", "temporal-namespace"} <= set(services[name]["depends_on"]), name


def test_api_runs_several_workers_and_the_worker_scales() -> None:
    services = COMPOSE["services"]
    assert int(services["api"]["environment"]["HIREPATH_API_WORKERS"]) > 1
    worker = services["worker"]
    # --scale needs no fixed name or host port on the service
    assert "container_name" not in worker and "ports" not in worker
    assert "docker compose up -d --scale worker=" in (ROOT / "docs" / "deploy.md").read_text()


def test_temporal_runs_on_postgresql_with_its_schema_set_up() -> None:
    services = COMPOSE["services"]
    assert services["temporal"]["environment"]["DB"] == "postgres12"
    assert services["temporal"]["environment"]["POSTGRES_SEEDS"] == "temporal-db"
    script = services["temporal-schema"]["command"][0]
    for db in ("temporal", "temporal_visibility"):
        assert f"--db {db} update-schema" in script, db


def test_commands_are_entry_points_of_the_hirepath_command() -> None:
    cli = get_command(app)
    for name, service in hirepath_services().items():
        program, *path = service["command"]
        assert program == "hirepath", name
        command = cli
        for part in path:
            commands = getattr(command, "commands", {})  # a group's subcommands
            assert part in commands, (name, part)
            command = commands[part]
        assert not hasattr(command, "commands"), f"{name}: {path} is a group, not a command"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["hirepath", "api"]' in dockerfile
    assert "ENTRYPOINT" not in dockerfile  # the services' commands run as written


def test_production_refuses_to_start_without_its_settings() -> None:
    with pytest.raises(ValueError, match="HIREPATH_DATABASE_URL"):
        Settings(environment="production")


def _seconds(duration: str) -> float:
    match = re.fullmatch(r"(\d+)(s|m)", duration)
    assert match, duration
    return int(match.group(1)) * (60 if match.group(2) == "m" else 1)


def test_a_stopped_worker_finishes_its_emails_before_docker_kills_it() -> None:
    worker = COMPOSE["services"]["worker"]
    grace = float(worker["environment"]["HIREPATH_WORKER_GRACEFUL_SHUTDOWN_SECONDS"])
    # the worker waits longer than an SMTP conversation can last...
    assert grace > Settings().smtp_timeout_seconds
    # ...and Docker waits longer than that before its SIGKILL (its default is 10 s)
    assert _seconds(worker["stop_grace_period"]) >= grace + 10


def test_metrics_are_served_to_operators_only() -> None:
    services = COMPOSE["services"]
    worker, api = services["worker"], services["api"]
    # the worker's SDK metrics: on the compose network, never published on the host
    assert worker["environment"]["HIREPATH_WORKER_METRICS_ADDRESS"].endswith(":9464")
    assert "ports" not in worker
    # the API's /metrics: behind the operators' token (404 without one in production), and
    # its four processes' counters summed in a directory emptied at every start
    assert api["environment"]["HIREPATH_METRICS_TOKEN"] == "${HIREPATH_METRICS_TOKEN:-}"
    assert api["environment"]["PROMETHEUS_MULTIPROC_DIR"] in api["tmpfs"]


def test_the_namespace_job_registers_every_search_attribute_once_and_the_hires_use_them() -> None:
    """The job's script, run as compose would (``$$`` is a literal ``$``) against a Temporal
    dev server started without them: the four attributes, with their types; a second run
    (``docker compose up`` again) changes nothing and does not fail."""
    from workflows.search import ALL

    job = COMPOSE["services"]["temporal-namespace"]
    script = job["command"][0].replace("$$", "$")
    port = free_port()
    temporal = str(Path(sys.executable).parent / "temporal")
    server = subprocess.Popen(
        [temporal, "server", "start-dev", "--headless", "--ip", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        here = script.replace("temporal:7233", f"127.0.0.1:{port}")
        env = {**os.environ, "PATH": f"{Path(temporal).parent}:{os.environ['PATH']}"}
        deadline = time.monotonic() + 60
        while True:  # the server takes a moment to answer
            ready = subprocess.run(
                [temporal, "operator", "cluster", "health", "--address", f"127.0.0.1:{port}"],
                capture_output=True, text=True,
            )  # fmt: skip
            if "SERVING" in ready.stdout or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        for _ in range(2):
            done = subprocess.run(["sh", "-ec", here], env=env, capture_output=True, text=True)
            assert done.returncode == 0, done.stdout + done.stderr
        listed = subprocess.run(
            [temporal, "operator", "search-attribute", "list", "-n", "default",
             "--address", f"127.0.0.1:{port}", "--output", "json"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    registered = json.loads(listed)["customAttributes"]
    for key in ALL:
        kind = registered[key.name].lower().removeprefix("indexed_value_type_")
        assert kind == key.indexed_value_type.name.lower(), key.name
    for name, service in hirepath_services().items():
        assert service["environment"]["HIREPATH_SEARCH_ATTRIBUTES"] == "true", name
