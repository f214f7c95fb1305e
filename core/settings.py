"""The one settings object, read from ``HIREPATH_*`` environment variables.

Every port and path has a development default so ``make run`` needs nothing,
and two copies can run side by side by changing ``HIREPATH_PORT``,
``HIREPATH_DATA_DIR`` and ``HIREPATH_TEMPORAL_PORT``. Outside development no
secret is defaulted.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.crypto import Keyring

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HIREPATH_", env_file=None, extra="ignore")

    environment: Literal["development", "production"] = "development"

    # the API
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    base_url: str = ""  # links in emails; defaults to http://host:port
    api_workers: int = Field(1, ge=1)

    # the pages: sessions are signed with this (development: generated once into the data dir)
    session_secret: SecretStr = SecretStr("")
    # A page session (kept in the store; the cookie holds its random id) ends after this many
    # minutes without a request, and this many hours after signing in whatever happens (at most
    # 12: the cookie's own lifetime).
    session_idle_minutes: int = Field(120, ge=1)
    session_max_hours: int = Field(12, ge=1, le=12)
    # Wrong credentials (API keys, the sign-in form, the codec token) from one client address:
    # past this many in the window, more answer 429 until the window has passed. A valid key is
    # never held back. Counted per API process.
    auth_failure_limit: int = Field(20, ge=1)
    auth_failure_window_seconds: int = Field(60, ge=1, le=3600)

    # encryption keys, "id:base64,id2:base64" (AES-256); the *_key_id one encrypts, all decrypt.
    # Development: one of each is generated once into the data dir.
    payload_keys: SecretStr = SecretStr("")
    payload_key_id: str = ""
    document_keys: SecretStr = SecretStr("")
    document_key_id: str = ""
    codec_cors_origins: str = ""  # the Temporal UI's origin(s), comma-separated, for /codec
    # The operators' credential for /codec (the payload codec server: it decrypts every team's
    # Temporal payloads), sent as `Authorization: Bearer <token>`; at least 32 characters.
    # Unset: /codec answers 404. Never generated or defaulted, in any environment.
    codec_token: SecretStr = SecretStr("")
    # The operators' credential for GET /metrics (Prometheus), sent as
    # `Authorization: Bearer <token>`, at least 32 characters. Unset: /metrics is open in
    # development and answers 404 in production.
    metrics_token: SecretStr = SecretStr("")
    # An email not sent after this many attempts counts in hirepath_emails_over_attempts, and
    # any activity's attempt this many or more in hirepath_activity_retries_past_threshold
    # (both alerts).
    metrics_attempts_alert: int = Field(5, ge=1)
    # Traces (OpenTelemetry over OTLP/HTTP, e.g. http://otel-collector:4318): off when empty and
    # OTEL_EXPORTER_OTLP_ENDPOINT is unset too.
    otel_endpoint: str = ""

    # files
    data_dir: Path = REPO_ROOT / ".data"
    templates_dir: Path = REPO_ROOT / "templates"
    static_dir: Path = REPO_ROOT / "static"
    max_upload_bytes: int = Field(20 * 1024 * 1024, ge=1024)
    # any other request body (JSON, a page's form); larger is refused (413) before it is read
    max_body_bytes: int = Field(1024 * 1024, ge=64 * 1024)
    # HR's actions on one hire in any hour (uploads, decisions, ...); more answer 429. It keeps
    # a runaway script from flooding a hire's history; fixed per hire when it starts.
    max_actions_per_hire_per_hour: int = Field(240, ge=1)
    # How long an action waits for the hire to record it before answering 202 (accepted, being
    # recorded) instead: the API never waits without limit.
    action_wait_seconds: float = Field(10, gt=0, le=60)
    # Hires searchable in Temporal's UI by pathway, status, current step and next due date
    # (never anything personal). The attributes must be registered on the namespace first:
    # `make run` and the compose file do it.
    search_attributes: bool = False

    # the store
    database_url: str = ""  # defaults to SQLite in data_dir
    database_pool_size: int = Field(10, ge=1)

    # Temporal
    temporal_address: str = ""  # defaults to 127.0.0.1:<temporal_port>
    temporal_port: int = Field(7233, ge=1, le=65535)  # the embedded dev server (make run)
    temporal_ui_port: int = Field(8233, ge=1, le=65535)
    temporal_namespace: str = "default"
    # Temporal Cloud or a secured cluster: an API key, or mTLS with a client certificate.
    # TLS is on when any of these is set (or temporal_tls is true).
    temporal_api_key: SecretStr = SecretStr("")
    temporal_tls: bool = False
    temporal_tls_cert: Path | None = None  # client certificate (PEM), for mTLS
    temporal_tls_key: Path | None = None  # its private key (PEM)
    temporal_tls_server_ca: Path | None = None  # a private CA for the server (PEM)
    task_queue: str = "hirepath"

    # the worker
    max_concurrent_activities: int = Field(50, ge=1)
    max_cached_workflows: int = Field(1000, ge=0)
    # Touched every worker_heartbeat_seconds while this worker runs and Temporal answers for its
    # namespace and task queue (the container's health check reads the file's age).
    worker_heartbeat_file: Path | None = None
    worker_heartbeat_seconds: float = Field(15, gt=0, le=300)
    # On SIGTERM the worker stops polling and gives running activities this long to finish
    # before cancelling them: above the SMTP bound (smtp_timeout_seconds), so a deploy never
    # cuts an email mid-send (a cut send is retried, and the message arrives twice).
    worker_graceful_shutdown_seconds: float = Field(25, ge=0, le=300)
    # The workflow sandbox: "tuned" is Temporal's stock restrictions with our two pure
    # packages (pathways, contracts) passed through (docs/performance.md); "off" only for
    # measuring what the sandbox costs.
    workflow_sandbox: Literal["tuned", "off"] = "tuned"
    # The SDK's metrics (Prometheus text at http://<address>/metrics), e.g. 0.0.0.0:9464; off
    # when empty.
    worker_metrics_address: str = ""

    # mail
    mail_backend: Literal["outbox", "smtp"] = "outbox"
    mail_from: str = "hirepath <hirepath@localhost>"
    outbox_dir: Path | None = None  # defaults to data_dir/outbox
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(1025, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_timeout_seconds: float = Field(20.0, gt=0, lt=30)  # under the notify activity's 30 s

    @model_validator(mode="after")
    def _no_development_defaults_in_production(self) -> Settings:
        if self.environment == "production":
            missing = [
                name
                for name, value in (
                    ("HIREPATH_DATABASE_URL", self.database_url),
                    ("HIREPATH_TEMPORAL_ADDRESS", self.temporal_address),
                    ("HIREPATH_BASE_URL", self.base_url),
                    ("HIREPATH_SESSION_SECRET", self.session_secret.get_secret_value()),
                    ("HIREPATH_PAYLOAD_KEYS", self.payload_keys.get_secret_value()),
                    ("HIREPATH_PAYLOAD_KEY_ID", self.payload_key_id),
                    ("HIREPATH_DOCUMENT_KEYS", self.document_keys.get_secret_value()),
                    ("HIREPATH_DOCUMENT_KEY_ID", self.document_key_id),
                )
                if not value
            ]
            if bool(self.temporal_tls_cert) != bool(self.temporal_tls_key):
                missing.append("both HIREPATH_TEMPORAL_TLS_CERT and HIREPATH_TEMPORAL_TLS_KEY")
            if self.mail_backend == "smtp" and self.smtp_username and not self.smtp_password:
                missing.append("HIREPATH_SMTP_PASSWORD")
            if 0 < len(self.codec_token.get_secret_value()) < 32:
                missing.append("HIREPATH_CODEC_TOKEN of at least 32 characters (or none)")
            if 0 < len(self.metrics_token.get_secret_value()) < 32:
                missing.append("HIREPATH_METRICS_TOKEN of at least 32 characters (or none)")
            if missing:
                raise ValueError(f"production needs {', '.join(missing)} set")
        return self

    @property
    def database(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'hirepath.db'}"

    @property
    def temporal(self) -> str:
        return self.temporal_address or f"127.0.0.1:{self.temporal_port}"

    @property
    def public_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def outbox(self) -> Path:
        return self.outbox_dir or self.data_dir / "outbox"

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def demo_key_file(self) -> Path:
        return self.data_dir / "demo-api-key"

    def _generated(self, name: str, make: Callable[[], str]) -> str:
        """A development secret, made once and kept in the data directory."""
        path = self.data_dir / "secrets" / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_text(make())
            partial.chmod(0o600)
            partial.replace(path)
        return path.read_text().strip()

    def payload_keyring(self) -> Keyring:
        if self.payload_keys.get_secret_value():
            return Keyring.parse(self.payload_keys.get_secret_value(), self.payload_key_id)
        return Keyring.parse(
            self._generated("payload-keys", lambda: f"dev1:{Keyring.new_key()}"), "dev1"
        )

    def document_keyring(self) -> Keyring:
        if self.document_keys.get_secret_value():
            return Keyring.parse(self.document_keys.get_secret_value(), self.document_key_id)
        return Keyring.parse(
            self._generated("document-keys", lambda: f"dev1:{Keyring.new_key()}"), "dev1"
        )

    def session_key(self) -> str:
        """The secret that signs page sessions. In development one is made on first use and
        kept in the data directory, so sessions survive a restart."""
        given = self.session_secret.get_secret_value()
        return given or self._generated("session-secret", lambda: secrets.token_urlsafe(48))

    @property
    def action_wait(self) -> timedelta:
        return timedelta(seconds=self.action_wait_seconds)


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
