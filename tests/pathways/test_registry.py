"""Published pathway versions never change: a hire keeps the rules it started under."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from pathways import registry
from pathways.model import as_plain

# When a test here fails, you edited a published version. Add a new version with its
# effective date instead (pathways/registry.py), and its digest here.
DIGESTS = {
    "gts-2025-11-20": "c887a3bada5f5269db731767dbbc500b8442376c41627595d80fd90ff1fa560c",
}


def digest(pathway: Any) -> str:
    return hashlib.sha256(json.dumps(as_plain(pathway, compact=True), sort_keys=True).encode()).hexdigest()


def test_published_versions_are_unchanged() -> None:
    for versions in registry.VERSIONS.values():
        for pathway in versions:
            assert digest(pathway) == DIGESTS[pathway.version], pathway.version


def test_the_version_in_force_is_chosen_by_date() -> None:
    gts = registry.current("gts", date(2026, 1, 1))
    assert gts.version == "gts-2025-11-20"
    assert registry.version("gts", "gts-2025-11-20") is gts
