"""The one settings object: a copy with other values says those values, whatever the
original already worked out (a cached copy once kept the first store for every copy)."""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings


def test_a_copy_with_another_store_and_server_uses_them(tmp_path: Path) -> None:
    original = Settings(data_dir=tmp_path)
    assert original.database.startswith("sqlite:///") and original.temporal.endswith(":7233")
    copy = original.model_copy(
        update={"database_url": "postgresql+psycopg://h/db", "temporal_address": "t:7233"}
    )
    assert copy.database == "postgresql+psycopg://h/db" and copy.temporal == "t:7233"
    moved = original.model_copy(update={"data_dir": tmp_path / "elsewhere"})
    assert moved.outbox == tmp_path / "elsewhere" / "outbox"


def test_every_setting_is_documented() -> None:
    """docs/configuration.md names every HIREPATH_ variable an operator can set."""
    documented = (Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text()
    missing = [
        f"HIREPATH_{name.upper()}"
        for name in Settings.model_fields
        if f"`HIREPATH_{name.upper()}`" not in documented
    ]
    assert missing == []
