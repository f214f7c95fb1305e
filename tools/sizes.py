"""Room sizes, checked by `make lint`: no product module over 600 lines (data tables
excepted), no workflow module over 450, no function over 80 lines.

Run: python -m tools.sizes  (exit 1 and a list of what is too big)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("hirepath", "api", "workflows", "activities", "store", "core", "contracts", "pathways")
MODULE_LIMIT, WORKFLOW_LIMIT, FUNCTION_LIMIT = 600, 450, 80
# Declarative data, read like documents: tables and published rule versions.
DATA_TABLES = {
    "pathways/holiday_table.py",
    "pathways/gts.py",
    "pathways/cusma_professions.py",
    "pathways/occupations.py",
}
SKIP = ("store/migrations/",)


def product_modules() -> list[Path]:
    return sorted(
        path
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        if not str(path.relative_to(ROOT)).startswith(SKIP)
    )


def problems() -> list[str]:
    found: list[str] = []
    for path in product_modules():
        name = str(path.relative_to(ROOT))
        source = path.read_text()
        lines = source.count("\n")
        limit = WORKFLOW_LIMIT if name.startswith("workflows/") else MODULE_LIMIT
        if lines > limit and name not in DATA_TABLES:
            found.append(f"{name}: {lines} lines (limit {limit})")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_LIMIT:
                    found.append(
                        f"{name}:{node.lineno} {node.name}: {length} lines (limit {FUNCTION_LIMIT})"
                    )
    return found


def main() -> int:
    found = problems()
    for line in found:
        print(line)
    if not found:
        print(f"sizes: {len(product_modules())} product modules within their limits")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
