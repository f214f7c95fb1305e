"""Validation problems in HR words: one label per field ("Country of citizenship") and one
message per kind of problem ("Use a two-letter country code, like IN or US"). The field's path
(``candidate.citizenships.0``) stays in the API's ``fields`` keys; no message says a path, a
pattern, a type or any other internal name, and none echoes what was sent."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

LOCATIONS = ("body", "query", "path", "header", "form")

LABELS = {
    "body": "The request",
    "query": "The web address",
    "form": "The form",
    "candidate": "Candidate",
    "candidate.name": "Candidate's name",
    "candidate.email": "Candidate's email",
    "candidate.citizenships": "Country of citizenship",
    "candidate.permanent_residences": "Permanent residence",
    "candidate.residence": "Country of residence",
    "candidate.visa_exempt": "Visitor visa",
    "candidate.education": "Highest education",
    "candidate.licence": "Licence",
    "candidate.designations": "Designations",
    "candidate.years_experience": "Years of experience",
    "candidate.related_employment": "Employment with the related company",
    "candidate.related_employment.start": "Started on",
    "candidate.related_employment.end": "Ended on",
    "candidate.related_employment.full_time": "Full time",
    "candidate.related_employment.country": "Country of that job",
    "candidate.employment": "Jobs with the multinational",
    "candidate.employment.start": "Earlier job: started on",
    "candidate.employment.end": "Earlier job: ended on",
    "candidate.employment.full_time": "Earlier job: full time",
    "candidate.employment.country": "Earlier job: country",
    "candidate.degree_field": "Field of study",
    "candidate.credential_country": "Country of the degree or diploma",
    "candidate.prior_ict_months": "Months already in Canada on transfer permits",
    "position.application_date": "Application date",
    "candidate.spouse_accompanying": "Spouse comes too",
    "position": "Position",
    "position.title": "Job title",
    "position.noc": "NOC 2021 code",
    "position.wage": "Wage",
    "position.wage.amount": "Wage",
    "position.wage.per": "Wage per year or hour",
    "position.hours_per_week": "Hours per week",
    "position.province": "Province",
    "position.start_date": "Start date",
    "position.duration_months": "Duration in months",
    "position.cusma_profession": "CUSMA profession",
    "position.ict_capacity": "Transfer capacity",
    "position.employer_relationship": "Employer relationship",
    "position.self_employed": "Self-employed",
    "position.gts_a_referral": "Designated partner's referral",
    "position.gts_a_approved_this_year": "Category A positions approved this year",
    "pathway": "Pathway",
    "category": "Category",
    "hr_owner": "HR owner",
    "hr_owner.name": "HR owner's name",
    "hr_owner.email": "HR owner's email",
    "manager": "Hiring manager",
    "manager.name": "Hiring manager's name",
    "manager.email": "Manager's email",
    "override": "Start anyway",
    "override.justification": "Why start anyway",
    "reason": "Reason",
    "outcome": "Decision",
    "fields": "Decision details",
    "field": "Decision details",
    "due_on": "New due date",
    "status": "Status",
    "overdue": "Overdue",
    "owner": "Owner's email",
    "owner_name": "HR owner's name",
    "q": "Candidate's name",
    "due": "Next deadline",
    "permit": "Permit expiry",
    "candidate.phone": "Candidate's phone",
    "candidate.preferred_language": "Preferred language",
    "start_date": "Planned start date",
    "sort": "Sort order",
    "limit": "Page size",
    "cursor": "Page link",
    "after": "Event number",
    "hire_id": "Hire",
    "step": "Step",
    "item": "Checklist item",
    "key": "Pathway",
    "source_key": "Source",
    "document_id": "Document",
    "token": "Calendar link",
    "action": "Action",
    "file": "File",
    "accept": "Accept it too",
    "Idempotency-Key": "Idempotency-Key",
}

COUNTRY = "Use a two-letter country code, like IN or US"
DATE = "Enter a date like 2027-01-06"
WHOLE_NUMBER = "Enter a whole number"
NUMBER = "Enter a number, like 145000"
FROM_THE_LIST = "Choose one of the listed options"

# The format a field's pattern asks for, said as an example.
FORMATS = {
    "candidate.citizenships": COUNTRY,
    "candidate.permanent_residences": COUNTRY,
    "candidate.residence": COUNTRY,
    "position.noc": "Use the 5-digit NOC 2021 code, like 21231",
    "category": "Use a category code, like A, B or T36",
    "position.cusma_profession": "Choose a CUSMA profession from the list",
    "hire_id": "This is not a hire's link: open the hire from the list",
    "step": "This is not a step of this hire",
    "item": "This is not a checklist item of this hire",
    "action": "Choose accept, reject or waive",
}

# What to choose, where a field is a choice (a missing or unknown value).
CHOICES = {
    "position.province": "Choose a province",
    "position.wage.per": "Choose per year or per hour",
    "pathway": "Choose GTS, CUSMA or ICT",
    "candidate.education": "Choose the highest education from the list",
    "position.ict_capacity": "Choose a transfer capacity from the list",
    "position.employer_relationship": "Choose how the employers are related, from the list",
    "position.cusma_profession": "Choose a CUSMA profession from the list",
    "status": "Choose a hire status from the list",
    "sort": "Choose a sort order from the list",
    "due": "Choose a deadline window from the list",
    "permit": "Choose a permit expiry window from the list",
    "candidate.preferred_language": "Choose English or French",
    "file": "Choose a file to upload",
    "body": "Send the details as JSON",
}

# What a list of the field holds, for "Give at most 5 countries".
UNITS = {
    "candidate.citizenships": "countries",
    "candidate.permanent_residences": "countries",
    "candidate.designations": "designations",
    "fields": "details",
}

# Our own validators' problems (api.schemas), already in HR words.
OWN_TYPES = {"implausible_date", "end_before_start", "control_character"}

_MESSAGES = {
    "string_too_long": "Use at most {max_length} characters",
    "greater_than": "Enter a number above {gt}",
    "greater_than_equal": "Enter {ge} or more",
    "less_than": "Enter a number below {lt}",
    "less_than_equal": "Enter {le} or less",
    "decimal_max_digits": "Use at most {max_digits} digits",
    "decimal_whole_digits": "Use at most {whole_digits} digits before the decimal point",
    "multiple_of": "Enter a multiple of {multiple_of}",
}
_BY_TYPE = {
    **dict.fromkeys(
        ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact",
         "date_type", "datetime_parsing", "datetime_type", "datetime_from_date_parsing"),
        DATE,
    ),
    **dict.fromkeys(("int_parsing", "int_type", "int_from_float", "int_parsing_size"),
                    WHOLE_NUMBER),
    **dict.fromkeys(("decimal_parsing", "decimal_type", "float_parsing", "float_type",
                     "finite_number"), NUMBER),
    **dict.fromkeys(("bool_parsing", "bool_type"), "Use true or false"),
    **dict.fromkeys(("string_type", "string_unicode", "string_sub_type"), "Enter text"),
    **dict.fromkeys(("list_type", "tuple_type", "set_type", "iterable_type"),
                    "Give a list of values"),
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type", "mapping_type",
                     "dataclass_type"), "Give this as a group of fields (a JSON object)"),
    "json_invalid": "This is not valid JSON: check its quotes, commas and brackets",
    "json_type": "This is not valid JSON",
    "extra_forbidden": "Remove the field hirepath does not take",
    "url_parsing": "Enter a web address",
    "uuid_parsing": "This is not an ID hirepath gave",
}  # fmt: skip
FALLBACK = "This value is not accepted here: check it and try again"


def path_of(loc: Sequence[Any], *, form: bool = False) -> str:
    """("body", "position", "noc") -> "position.noc". A form's field has no list positions
    (``candidate.citizenships``), where the API's names the one at fault (``...citizenships.0``)."""
    parts = [str(p) for p in loc if p not in LOCATIONS and not (form and isinstance(p, int))]
    return ".".join(p for p in parts if p != "[key]") or "body"


def _general(path: str) -> str:
    """The path without list positions or a decision's own field names: the key to LABELS."""
    parts = [p for p in path.split(".") if not p.isdigit() and p != "[key]"]
    while parts and ".".join(parts) not in LABELS:
        parts.pop()
    return ".".join(parts)


def label(path: str) -> str:
    """What the HR person calls the field at ``path``."""
    return LABELS.get(_general(path), "Unknown field")


def _number(value: Any) -> str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value))
        return f"{number:,}" if number == number.to_integral_value() else str(number)
    return "the limit"


SINGULAR = {"countries": "country", "designations": "designation", "details": "detail",
            "values": "value", "decimal places": "decimal place"}  # fmt: skip


def _count(n: Any, unit: str) -> str:
    return f"one {SINGULAR.get(unit, unit)}" if n == 1 else f"{n} {unit}"


def message(problem: Mapping[str, Any]) -> str:
    """One validation problem (pydantic's error details) in HR words; never its input."""
    kind = str(problem.get("type", ""))
    ctx = problem.get("ctx") or {}
    key = _general(path_of(problem.get("loc", ())))
    if kind == "control_character":
        return unkept_text(str(problem.get("msg", "")))
    if kind in OWN_TYPES:
        text = str(problem.get("msg", ""))
        return text[:1].upper() + text[1:]
    if kind == "missing":
        return CHOICES.get(key, "This can't be empty")
    if kind in ("literal_error", "enum"):
        return CHOICES.get(key, FROM_THE_LIST)
    if kind == "string_pattern_mismatch":
        return FORMATS.get(key, "This is not in the expected format")
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return "This can't be empty" if n == 1 else f"Use at least {n} characters"
    if kind in ("too_short", "too_long"):
        unit = UNITS.get(key, "values")
        if kind == "too_short":
            return f"Give at least {_count(ctx.get('min_length', 1), unit)}"
        return f"Give at most {_count(ctx.get('max_length', 1), unit)}"
    if kind == "decimal_max_places":
        n = ctx.get("decimal_places", 0)
        return f"Use at most {_count(n, 'decimal places')}" if n else WHOLE_NUMBER
    if kind == "value_error":
        return _value_error(key, str(problem.get("msg", "")))
    if kind in _MESSAGES:
        numbers = {k: _number(v) if k != "max_length" else v for k, v in ctx.items()}
        try:
            return _MESSAGES[kind].format(**numbers)
        except (KeyError, IndexError):
            return FALLBACK
    return _BY_TYPE.get(kind, FALLBACK)


def unkept_text(problem: str) -> str:
    """api.plain_text's reason as a sentence: "must not contain control characters (found
    U+0000)" -> "It must not contain ..."."""
    text = problem if problem.startswith("a name") else f"it {problem}"
    return text[:1].upper() + text[1:]


def _value_error(key: str, text: str) -> str:
    if key.endswith("email") or "email address" in text:
        return "Enter an email address like name@example.com"
    if key == "file":
        return CHOICES["file"]
    return FALLBACK


def problems(errors: Iterable[Mapping[str, Any]], *, form: bool = False) -> dict[str, str]:
    """Each field at fault (its path) and its first problem, in HR words."""
    found: dict[str, str] = {}
    for problem in errors:
        found.setdefault(path_of(problem.get("loc", ()), form=form), message(problem))
    return found


def summary(fields: Mapping[str, str]) -> str:
    """The fields' problems in one line: "Wage: Enter a number above 0; Province: ..."."""
    lines: list[str] = []
    for path, text in fields.items():
        line = f"{label(path)}: {text}"
        if line not in lines:
            lines.append(line)
    return "; ".join(lines)


def humane_detail(detail: str, fields: Mapping[str, str]) -> str:
    """A refusal's detail with each field's name said as its label: "due_on cannot be in the
    past" reads "New due date cannot be in the past"; "submitted_on: Date ESDC received the
    application is required" (a field whose message names it) reads as its message."""
    if fields and detail == "; ".join(f"{k}: {v}" for k, v in fields.items()):
        return "; ".join(
            f"{LABELS[k]}: {v}" if k in LABELS else v[:1].upper() + v[1:] for k, v in fields.items()
        )
    for name in fields:
        for sep in (": ", " "):
            if detail.startswith(name + sep) and name in LABELS:
                return LABELS[name] + sep + detail[len(name) + len(sep) :]
    return detail
