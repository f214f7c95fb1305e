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
    "gts-2025-11-20-r2": "837c714fdedc39d7f5b9b072e16615a33ace49655675c8d24783cc13047800b1",
    "gts-2025-11-20-r3": "da6b0d9880ab20c19e43784388644f26f01bef61ed80ce40d8f516da13596f36",
    "cusma-2024-10-03": "2d2bcb6c174c830f3d97b3a9f3979adf2f282270102a0c49adda3d6b278603ad",
    "cusma-2024-10-03-r2": "c4286441f207cabecf4d32c30748432c6954dd026c380abfc95ebc452994c90f",
    "ict-2025-01-06": "fc1453ae296cc7f8f146f11415db52ffc0b5611027872ebe0ab75d3536f20f17",
    "ict-2025-01-06-r2": "3f42a87733cd3e67144effd2621cfaaae5daeb72f4941fddef4327aa3282aee5",
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
        registry.current("gts", date(2026, 1, 1)).version == "gts-2025-11-20-r3"
    )  # the latest of three in force
    assert registry.current("cusma", date(2026, 1, 1)).version == "cusma-2024-10-03-r2"
    assert (
        registry.version("gts", "gts-2025-11-20").version == "gts-2025-11-20"
    )  # hires keep theirs
