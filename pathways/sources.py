"""The sources every rule, step, fee and finding cites: one entry per key, shipped with the product.

A pathway step cites ``Source("G2", ...)`` and a finding names its keys ("G2", "SP1, SP2");
``cited`` turns either into the entries a user can follow: the title, who publishes it, the
address, the page's own date ("Date modified"; None when the page shows none) and the date the
policy took effect, where known. Pure data: nothing here fetches a page.

Addresses and dates come from the domain notes' source table and the December 2026 review
(section 1). ``note`` says when a source is a law firm's or news summary, not the authority's
own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SourceInfo:
    key: str
    title: str
    publisher: str
    url: str
    supports: str  # what hirepath takes from it
    page_date: date | None = None  # the page's "Date modified"; None: no date visible
    effective: date | None = None  # when the policy it states took effect, where known
    note: str = ""  # caveats: a secondary source, an archived copy, a partial date


class UnknownSourceError(KeyError):
    pass


CANADA = "https://www.canada.ca/en"
ESDC = "Employment and Social Development Canada"
IRCC = "Immigration, Refugees and Citizenship Canada"
GTS = f"{CANADA}/employment-social-development/services/foreign-workers/global-talent"
PDI = f"{CANADA}/immigration-refugees-citizenship/corporate/publications-manuals/operational-bulletins-manuals"
WORKERS = f"{PDI}/temporary-residents/foreign-workers"
LAWS = "Justice Laws Website (Department of Justice Canada)"
LAW_FIRM = "A law firm's summary, not IRCC's own text."

_ENTRIES = (
    SourceInfo(
        "G1",
        "Hire a temporary worker through the Global Talent Stream",
        ESDC,
        f"{GTS}.html",
        "The Global Talent Stream's process: the LMIA, its fee, processing in 10 business "
        "days, the referral and legitimacy documents, permit length.",
        date(2025, 11, 6),
    ),
    SourceInfo(
        "G2",
        "Global Talent Stream: program requirements",
        ESDC,
        f"{GTS}/requirements.html",
        "Category A and B eligibility, the wage floors, the Global Talent Occupations List, "
        "the Labour Market Benefits Plan, the $1,000 LMIA fee.",
        date(2025, 11, 20),
        date(2022, 12, 22),
        "The occupations list was last updated in December 2022 (in effect 2022-12-22).",
    ),
    SourceInfo(
        "G3",
        "Global Talent Stream: applicant guide",
        ESDC,
        f"{GTS}/applicant-guide.html",
        "What the LMIA application contains: the Labour Market Benefits Plan, recruitment, "
        "the documents.",
        date(2025, 11, 6),
    ),
    SourceInfo(
        "G4",
        "Employer compliance: Temporary Foreign Worker Program",
        ESDC,
        f"{CANADA}/employment-social-development/services/foreign-workers/employer-compliance.html",
        "Records kept 6 years, inspections, notifying ESDC of changes.",
    ),
    SourceInfo(
        "I1",
        "Intra-company transferees R205(a), exemption codes C61, C62 and C63",
        IRCC,
        f"{WORKERS}/exemption-codes/intra-company-transferees.html",
        "Intra-Company Transfer eligibility, specialized knowledge, capacities, durations and "
        "caps, documents, the employer compliance fee.",
        date(2025, 1, 6),
        date(2022, 12, 15),
        "Codes C61, C62 and C63 replaced C12 on 2022-12-15.",
    ),
    SourceInfo(
        "I2",
        "Canadian interests: intra-company transferees (program delivery update)",
        IRCC,
        f"{PDI}/updates/2024-canadian-interests-intra-company-transferees.html",
        "The October 2024 update to the intra-company transferee instructions.",
        date(2024, 10, 3),
    ),
    SourceInfo(
        "I3",
        "Canada-United States-Mexico Agreement (program delivery update)",
        IRCC,
        f"{PDI}/updates/2024-cusma-imp.html",
        "CUSMA codes T36, T37 and T38 and the October 2024 instructions.",
        date(2024, 10, 3),
    ),
    SourceInfo(
        "I4",
        "LMIA exemption codes",
        IRCC,
        f"{WORKERS}/exemption-codes.html",
        "The current administrative codes (T36, T37, T38, C61, C62, C63) and the ones they "
        "replaced (T23, T24, C12).",
        None,
        date(2022, 12, 15),
    ),
    SourceInfo(
        "I5",
        "Global Skills Strategy: special instructions",
        IRCC,
        f"{CANADA}/immigration-refugees-citizenship/services/work-canada/special-instructions/"
        "global-skills-strategy.html",
        "Two-week processing: a GTS LMIA or a TEER 0 or 1 job, applied for online from "
        "outside Canada; family filed with the worker.",
    ),
    SourceInfo(
        "I6",
        "Global Skills Strategy: hire a temporary worker",
        IRCC,
        f"{CANADA}/immigration-refugees-citizenship/services/work-canada/hire-foreign-worker/"
        "temporary/global-skills-strategy.html",
        "Two-week processing, and biometrics within 14 days of applying.",
        note="Older wording of the Global Skills Strategy page.",
    ),
    SourceInfo(
        "I7",
        "Global Skills Strategy (archived)",
        "Citizenship and Immigration Canada",
        "http://www.cic.gc.ca/english/work/gss.asp",
        "The original two-week processing instructions.",
        note="An archived page.",
    ),
    SourceInfo(
        "I8",
        "Two-week processing: Global Skills Strategy (instructions to officers)",
        IRCC,
        f"{WORKERS}/two-week-processing.html",
        "What makes an application eligible for two-week processing; family applications.",
    ),
    SourceInfo(
        "I9",
        "Employer-specific LMIA exemptions",
        IRCC,
        f"{WORKERS}/eligibility/employer-specific-labout-market-impact-assessment-exemptions.html",
        "The Employer Portal offer of employment and the compliance fee before an "
        "LMIA-exempt worker applies.",
    ),
    SourceInfo(
        "I10",
        "Specialized knowledge: program delivery update",
        IRCC,
        f"{PDI}/updates/2019-specialized-knowledge.html",
        "What counts as specialized knowledge (C63, T38) and the wage IRCC weighs.",
        date(2019, 5, 15),
    ),
    SourceInfo(
        "OB85",
        "Operational Bulletin 085: NAFTA professionals",
        "Citizenship and Immigration Canada",
        "http://www.cic.gc.ca/english/resources/manuals/bulletins/2008/ob085.asp",
        "CUSMA professionals' permits: up to 3 years, renewable without a cap.",
        date(2008, 12, 15),
        date(2008, 12, 15),
        "An archived 2008 bulletin; the current T36 instructions were not read.",
    ),
    SourceInfo(
        "R198",
        "Immigration and Refugee Protection Regulations, section 198",
        LAWS,
        "https://laws.justice.gc.ca/eng/regulations/SOR-2002-227/section-198-20170505.html",
        "Who may apply for a work permit at the port of entry.",
        note="The version of 2017-05-05.",
    ),
    SourceInfo(
        "R303",
        "Immigration and Refugee Protection Regulations, section 303.1",
        LAWS,
        "http://laws-lois.justice.gc.ca/eng/regulations/SOR-2002-227/page-56.html",
        "The $230 employer compliance fee, paid before the worker applies.",
        note="Current to 2017-09-14 when read.",
    ),
    SourceInfo(
        "IRPA",
        "Immigration and Refugee Protection Act, s. 2(1) and s. 30(1)",
        LAWS,
        "https://laws-lois.justice.gc.ca/eng/acts/i-2.5/",
        "Only a foreign national needs authorization to work (s. 30(1)); a Canadian citizen "
        "or permanent resident is not a foreign national (s. 2(1)).",
    ),
    SourceInfo(
        "BIO",
        "Biometrics fee",
        IRCC,
        f"{PDI}/fees/immigration/general/biometric.html",
        "$85 per person, $170 per family; US nationals exempt.",
    ),
    SourceInfo(
        "FEE",
        "Canada increases immigration application fees",
        "immigration.ca",
        "https://immigration.ca/canada-increases-immigration-application-fees-what-newcomers-"
        "need-to-know",
        "The $155 work permit and $100 open work permit holder fees, unchanged in December 2025.",
        note="A December 2025 news summary, not IRCC's fee list.",
    ),
    SourceInfo(
        "MX",
        "Mexican citizens: visa or eTA to travel to Canada",
        IRCC,
        f"{CANADA}/immigration-refugees-citizenship/campaigns/eta-work-visa-mexico.html",
        "Most Mexican citizens need a visitor visa from 2024-02-29.",
        None,
        date(2024, 2, 29),
    ),
    SourceInfo(
        "FLAG",
        "Ending flagpoling for work and study permits at the border",
        "Government of Canada (news release)",
        "https://www.newswire.ca/news-releases/ending-flagpoling-for-work-and-study-permits-at-"
        "the-border-831051935.html",
        "Temporary residents inside Canada can no longer leave and come back for a permit.",
        date(2024, 12, 23),
        date(2024, 12, 23),
    ),
    SourceInfo(
        "SP1",
        "Family open work permits: program delivery update",
        IRCC,
        f"{PDI}/updates/2025-competitiveness-economy-work-permit.html",
        "Spouses' open work permits for applications received from 2025-01-21: the TEER and "
        "the 16 months left on the worker's permit.",
        date(2025, 2, 3),
        date(2025, 1, 21),
    ),
    SourceInfo(
        "SP2",
        "IRCC updates family open work permit rules",
        "Gowling WLG",
        "https://gowlingwlg.com/en-ca/insights-resources/articles/2025/ircc-update",
        "Which TEER 2 and 3 occupations still qualify a spouse.",
        None,
        date(2025, 1, 21),
        LAW_FIRM,
    ),
    SourceInfo(
        "CMP",
        "Employer compliance inspections (International Mobility Program)",
        IRCC,
        f"{WORKERS}/work-without-permit/employer-compliance-inspections.html",
        "The conditions an employer of an LMIA-exempt worker must meet, inspections, penalties.",
    ),
    SourceInfo(
        "APP2",
        "CUSMA Chapter 16, Appendix 2: professionals",
        "Global Affairs Canada",
        "https://www.international.gc.ca/trade-commerce/trade-agreements-accords-commerciaux/"
        "agr-acc/nafta-alena/fta-ale/temp05-3.aspx?lang=eng",
        "The 63 professions and the minimum credential each needs.",
        note="Credentials checked against 8 CFR 214.6(c) and US university summaries.",
    ),
    SourceInfo(
        "CUSMA-PRO",
        "CUSMA professionals",
        "ICL Immigration",
        "https://www.iclimmigration.com/cusma-professionals",
        "US or Mexican citizenship (not residence), pre-arranged employment, no "
        "self-employment, professional-level work.",
        note=LAW_FIRM
        + " Also: https://visaserve.com/international-mobility-program-canada-united-states-"
        "mexico-agreement/",
    ),
    SourceInfo(
        "CUSMA-REL",
        "NAFTA professionals: do you have a related degree or diploma?",
        "Mondaq",
        "http://www.mondaq.com/canada/x/167812/International+Trade/"
        "NAFTA+Professionals+Do+you+have+a+related+degree+or+diploma",
        "The credential must come from a related educational program (citing CIC's manual).",
        note=LAW_FIRM,
    ),
    SourceInfo(
        "MC",
        "Management consultants and the supernumerary requirement",
        "BDZ Law",
        "https://bdzlaw.com/nafta-tn-blog/2006/4/18/management-consultants-and-the-"
        "supernumerary-requirement",
        "A management consultant comes as an independent consultant or as a supernumerary "
        "employee, not to fill a permanent position.",
        note=LAW_FIRM + " NAFTA Handbook wording (US side).",
    ),
    SourceInfo(
        "ACT",
        "How do I qualify for TN status as an actuary?",
        "RJ Immigration Law",
        "https://rjimmigrationlaw.com/resources/how-do-i-qualify-for-tn-visa-status-as-an-actuary/",
        "Actuaries under the Mathematician profession (Free Trade Commission, 2003-10-07).",
        None,
        date(2003, 10, 7),
        LAW_FIRM,
    ),
    SourceInfo(
        "QC-IRCC",
        "Cas du Québec (travailleurs étrangers)",
        IRCC,
        "https://www.canada.ca/fr/immigration-refugies-citoyennete/organisation/publications-"
        "guides/bulletins-guides-operationnels/residents-temporaires/travailleurs-etrangers/"
        "cas-quebec.html",
        "Quebec's part in hiring a temporary foreign worker (the CAQ, MIFI).",
    ),
    SourceInfo(
        "QC-MIFI",
        "Volet Talents mondiaux (Quebec)",
        "Ministère de l'Immigration, de la Francisation et de l'Intégration du Québec",
        "http://www.immigration-quebec.gouv.qc.ca/fr/employeurs/embaucher-temporaire/"
        "talents-mondiaux/volet-talents-mondiaux-b.html",
        "Quebec's Global Talent Stream positions and their wage floors.",
        note="An older MIDI page.",
    ),
    SourceInfo(
        "IRCC-GSS-EMP",
        "Global Skills Strategy: 2-week processing for employers",
        IRCC,
        f"{CANADA}/immigration-refugees-citizenship/services/work-canada/hire-temporary-foreign/"
        "global-skills-strategy/2-week-processing.html",
        "Two-week processing as IRCC explains it to employers.",
    ),
    SourceInfo(
        "HOL",
        "Jours fériés (fermetures fédérales)",
        "Library and Archives Canada",
        "https://bibliotheque-archives.canada.ca/fra/services/public/visitez-nous/Pages/"
        "jours-feries.aspx",
        "The federal holidays that business-day deadlines skip.",
        note="The 2024 list.",
    ),
)

SOURCES: dict[str, SourceInfo] = {s.key: s for s in _ENTRIES}

# Other names the same sources go by: the December 2026 review's keys, and the sites a
# finding named before the table shipped.
ALIASES = {
    "ESDC-GTS": "G1",
    "ESDC-REQ": "G2",
    "ESDC-GUIDE": "G3",
    "IRCC-GSS": "I5",
    "CIC-GSS-OLD": "I7",
    "SP": "SP2",
    "visaserve": "CUSMA-PRO",
    "iclimmigration": "CUSMA-PRO",
}

_SEPARATORS = re.compile(r"[,;]|\band\b")
_DOMAIN_NOTES = re.compile(r"\s*\(\s*PATHWAYS\.md[^)]*\)|PATHWAYS\.md [0-9.]+(?:, [0-9.]+)*: ")


def source(key: str) -> SourceInfo:
    """The entry for ``key`` (or one of its other names)."""
    found = SOURCES.get(ALIASES.get(key, key))
    if found is None:
        raise UnknownSourceError(key)
    return found


def keys_in(citation: str) -> tuple[str, ...]:
    """The keys a citation names, in order: "G1, G2" and "G2 (PATHWAYS.md 1.2)", as findings
    wrote them before, both give their keys; a section in brackets is dropped."""
    named = _DOMAIN_NOTES.sub("", citation).split("(")[0].replace("[", "").replace("]", "")
    keys = [ALIASES.get(k.strip(), k.strip()) for k in _SEPARATORS.split(named)]
    return tuple(dict.fromkeys(k for k in keys if k))


def cited(citation: str) -> tuple[SourceInfo, ...]:
    """The entries a citation names; UnknownSourceError when one is not in the table."""
    return tuple(source(k) for k in keys_in(citation))


def without_domain_notes(text: str) -> str:
    """``text`` without references to the domain notes hirepath was written from (they are not
    part of the product): "... (PATHWAYS.md 6.2)." reads "...."."""
    return _DOMAIN_NOTES.sub("", text)
