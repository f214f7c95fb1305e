"""Where the holiday table comes from: the ``holidays`` library plus PATHWAYS.md section 5.

The Canada Labour Code general holidays come from the library; Easter Monday
and the Civic Holiday (first Monday of August), which federal public-service
offices also close for, are added; a holiday on a weekend is observed on the
next working day. Run ``python -m tools.holiday_source`` to rewrite
``pathways/holiday_table.py``; tests/pathways/test_calendar.py checks the two
agree. Not imported by workflow code (the library does file I/O).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import holidays

FIRST_YEAR, LAST_YEAR = 2020, 2045

# The library's categories that hold the Labour Code holidays (Victoria Day,
# NDTR, Thanksgiving, Remembrance Day and Boxing Day are in "government").
_CATEGORIES = ("public", "government")


def compute_federal_holidays(year: int) -> dict[date, str]:
    statutory = holidays.Canada(
        years=year, categories=_CATEGORIES, observed=False, language="en_CA"
    )
    days: dict[date, str] = {d: str(name) for d, name in statutory.items()}
    good_friday = next(d for d, name in days.items() if name == "Good Friday")
    days[good_friday + timedelta(days=3)] = "Easter Monday"
    august_first = date(year, 8, 1)
    days[august_first + timedelta(days=(7 - august_first.weekday()) % 7)] = "Civic Holiday"

    observed: dict[date, str] = {}
    for day in sorted(days):
        if day.weekday() < 5:
            observed[day] = days[day]
            continue
        moved = day + timedelta(days=1)
        while moved.weekday() >= 5 or moved in days or moved in observed:
            moved += timedelta(days=1)
        observed[moved] = f"{days[day]} (observed)"
    return dict(sorted(observed.items()))


def render_table() -> str:
    lines = [
        '"""Federal public-service holidays by year, as observed. Generated: do not edit.',
        "",
        "Regenerate with `python -m tools.holiday_source` (see that module).",
        '"""',
        "",
        "from datetime import date",
        "",
        f"FIRST_YEAR, LAST_YEAR = {FIRST_YEAR}, {LAST_YEAR}",
        "",
        "FEDERAL_HOLIDAYS: dict[int, dict[date, str]] = {",
    ]
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        lines.append(f"    {year}: {{")
        for day, name in compute_federal_holidays(year).items():
            lines.append(f"        date({day.year}, {day.month}, {day.day}): {name!r},")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "pathways" / "holiday_table.py"
    target.write_text(render_table())
    print(f"wrote {target}")
