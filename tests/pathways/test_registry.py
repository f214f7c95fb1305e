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
    "gts-2025-11-20-r2": "61477dcfe80090ee3316a9b90b55fa62775216c6871551f15e3e16b49d630af9",
    "cusma-2024-10-03": "5f1c5915f5f8bbcfad4552d95174cbc3333b3471f867fc093fae4c8574292f91",
    "ict-2025-01-06": "f1f7a0553c534d5697b6d3bb9e36ca46bc48f5788c54dc2261afbc56918be58b",
}


def digest(pathway: Any) -> str:
    return hashlib.sha256(
        json.dumps(as_plain(pathway, compact=True), sort_keys=True).encode()
    ).hexdigest()


def test_published_versions_are_unchanged() -> None:
    for versions in registry.VERSIONS.values():
        for pathway in versions:
            assert digest(pathway) == DIGESTS[pathway.version], pathway.version


def test_the_version_in_force_is_chosen_by_date() -> None:
    assert (
        registry.current("gts", date(2026, 1, 1)).version == "gts-2025-11-20-r2"
    )  # the later of two
    assert registry.current("cusma", date(2026, 1, 1)).version == "cusma-2024-10-03"
    assert (
        registry.version("gts", "gts-2025-11-20").version == "gts-2025-11-20"
    )  # hires keep theirs
