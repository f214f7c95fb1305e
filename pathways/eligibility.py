"""Eligibility screening: which rules a candidate and position meet, and why.

Each rule gives a finding: met, not met, or needs evidence (hirepath cannot
check it, e.g. the prevailing wage or a partner's referral). A verdict is
"not_eligible" if any rule is not met, "needs_evidence" if any needs evidence,
else "eligible".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pathways.gts import CATEGORY_A, CATEGORY_B
from pathways.occupations import GLOBAL_TALENT_OCCUPATIONS

HOURS_PER_YEAR_FULL_TIME = Decimal(2080)  # 40 h x 52 weeks, as ESDC's floors use
CAT_A_ANNUAL_FLOOR = Decimal(80_000)
CAT_A_HOURLY_FLOOR = Decimal("38.46")


class WagePer(StrEnum):
    YEAR = "year"
    HOUR = "hour"


@dataclass(frozen=True)
class Wage:
    amount: Decimal
    per: WagePer
    hours_per_week: Decimal = Decimal(40)

    @property
    def hourly(self) -> Decimal:
        if self.per == WagePer.HOUR:
            return self.amount
        return (self.amount / (self.hours_per_week * 52)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def annual(self) -> Decimal:
        if self.per == WagePer.YEAR:
            return self.amount
        return (self.amount * self.hours_per_week * 52).quantize(Decimal("1"))


class Status(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_EVIDENCE = "needs_evidence"


class Met(StrEnum):
    YES = "met"
    NO = "not_met"
    EVIDENCE = "needs_evidence"


@dataclass(frozen=True)
class Finding:
    rule: str
    met: Met
    reason: str
    source: str


@dataclass(frozen=True)
class Verdict:
    pathway: str
    category: str
    findings: tuple[Finding, ...]

    @property
    def status(self) -> Status:
        if any(f.met == Met.NO for f in self.findings):
            return Status.NOT_ELIGIBLE
        if any(f.met == Met.EVIDENCE for f in self.findings):
            return Status.NEEDS_EVIDENCE
        return Status.ELIGIBLE

    @property
    def reasons_not_met(self) -> tuple[str, ...]:
        return tuple(f.reason for f in self.findings if f.met == Met.NO)


@dataclass(frozen=True)
class Position:
    noc: str
    wage: Wage
    province: str = ""


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}" if amount != amount.to_integral() else f"${amount:,.0f}"


def screen_gts(category: str, position: Position) -> Verdict:
    findings: list[Finding] = []
    hourly = position.wage.hourly
    if category == CATEGORY_B:
        occupation = GLOBAL_TALENT_OCCUPATIONS.find(position.noc)
        if occupation is None:
            findings.append(
                Finding(
                    "gts_b_occupation",
                    Met.NO,
                    f"NOC {position.noc} is not on the Global Talent Occupations List "
                    "(Category B); consider Category A with a partner's referral.",
                    "G2 (PATHWAYS.md 1.2)",
                )
            )
        else:
            findings.append(
                Finding(
                    "gts_b_occupation",
                    Met.YES,
                    f"NOC {position.noc} is on the Global Talent Occupations List: "
                    f"{occupation.title}.",
                    "G2 (PATHWAYS.md 1.2)",
                )
            )
            if occupation.hourly_floor is None:
                findings.append(
                    Finding(
                        "gts_b_wage_floor",
                        Met.EVIDENCE,
                        f"The wage must be at least the prevailing wage for NOC {position.noc} "
                        "(Job Bank regional median) at every work location.",
                        "G2 (PATHWAYS.md 1.1)",
                    )
                )
            elif hourly < occupation.hourly_floor:
                findings.append(
                    Finding(
                        "gts_b_wage_floor",
                        Met.NO,
                        f"The wage ({_money(hourly)}/h) is below the Category B floor for NOC "
                        f"{position.noc}: {_money(occupation.hourly_floor)}/h (the hourly floor "
                        "governs).",
                        "G2 (PATHWAYS.md 1.2)",
                    )
                )
            else:
                findings.append(
                    Finding(
                        "gts_b_wage_floor",
                        Met.YES,
                        f"The wage ({_money(hourly)}/h) meets the Category B floor of "
                        f"{_money(occupation.hourly_floor)}/h for NOC {position.noc}.",
                        "G2 (PATHWAYS.md 1.2)",
                    )
                )
    elif category == CATEGORY_A:
        annual = position.wage.annual
        if hourly < CAT_A_HOURLY_FLOOR or annual < CAT_A_ANNUAL_FLOOR:
            findings.append(
                Finding(
                    "gts_a_unique_specialized_wage",
                    Met.NO,
                    f"A unique and specialized position pays at least {_money(CAT_A_ANNUAL_FLOOR)} "
                    f"and {_money(CAT_A_HOURLY_FLOOR)}/h base; this one pays "
                    f"{_money(annual)} ({_money(hourly)}/h).",
                    "G2 (PATHWAYS.md 1.1)",
                )
            )
        else:
            findings.append(
                Finding(
                    "gts_a_unique_specialized_wage",
                    Met.YES,
                    f"The base pay ({_money(annual)}, {_money(hourly)}/h) meets the unique and "
                    "specialized floor of $80,000 and $38.46/h.",
                    "G2 (PATHWAYS.md 1.1)",
                )
            )
        findings.append(
            Finding(
                "gts_a_referral",
                Met.EVIDENCE,
                "Category A needs a referral form from a designated referral partner for this "
                "worker.",
                "G1, G2 (PATHWAYS.md 1.1)",
            )
        )
    else:
        findings.append(
            Finding("gts_category", Met.NO, f"Unknown GTS category {category!r}: use A or B.", "G2")
        )
    return Verdict("gts", category, tuple(findings))
