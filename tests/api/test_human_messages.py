"""No message meant for people holds a regular expression, a field's path or a Python name:
every 4xx the API answers (handcrafted bad input per kind of field, and Schemathesis's
negative cases for every operation in the OpenAPI), and the pages' error states (the new-hire
form, its live screening, the hire page's forms, a bad link)."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from testkit.samples import PDF, hire_body
from tests.conftest import TeamKey, csrf_of, sign_in
from tests.helpers import unique_name
from tests.human_words import leaks, strings_in, visible_text

Request = tuple[str, str, dict[str, Any]]  # method, path, httpx keyword arguments

# Bad values for any leaf of a JSON body: each kind of field meets each kind of mistake.
BAD_LEAVES: list[Any] = [
    None, "", " ", "?", "x" * 2001, "ab_cd.ef", 3.5, -1, 0, 10**30, "1e-25", True,
    [], ["IN", 3], {}, {"nested": 1}, "2027-02-30", "in", "2123", "  on ",
]  # fmt: skip


def leaves(body: Any, where: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every path to a value (and to every object) in ``body``."""
    if isinstance(body, dict):
        if where:
            yield where
        for key, value in body.items():
            yield from leaves(value, (*where, key))
    else:
        yield where


def mutated(body: dict[str, Any], where: tuple[str, ...], value: Any) -> dict[str, Any]:
    copied = copy.deepcopy(body)
    target = copied
    for key in where[:-1]:
        target = target[key]
    if value is KeyError:
        del target[where[-1]]
    else:
        target[where[-1]] = value
    return copied


def body_cases(path: str, body: dict[str, Any], fixed: dict[str, Any]) -> list[Request]:
    """Each leaf of ``body`` replaced by each bad value, removed, or given an unknown
    neighbour; ``fixed`` is merged in after (a mistake that keeps a hire from starting)."""
    cases: list[Request] = []
    for where in leaves(body):
        for value in [*BAD_LEAVES, KeyError]:
            cases.append(("POST", path, {"json": {**mutated(body, where, value), **fixed}}))
        parent = mutated(body, where, body_at(body, where))
        scope = body_at(parent, where[:-1]) if len(where) > 1 else parent
        if isinstance(scope, dict):
            scope["surprise_field"] = 1
        cases.append(("POST", path, {"json": {**parent, **fixed}}))
    return cases


def body_at(body: Any, where: tuple[str, ...]) -> Any:
    for key in where:
        body = body[key]
    return body


def handcrafted(base: str) -> list[Request]:
    """Bad bodies, query strings, path parameters, uploads and headers, route by route."""
    hire = hire_body(name="Human Words")
    screening = {
        "candidate": {k: v for k, v in hire["candidate"].items() if k not in ("name", "email")},
        "position": {k: v for k, v in hire["position"].items() if k != "title"},
    }
    never_starts = {"override": {"justification": "too short"}}
    raw = {"headers": {"content-type": "application/json"}}
    cases = [
        *body_cases("/api/v1/hires", hire, never_starts),
        *body_cases("/api/v1/screenings", screening, {}),
        *body_cases(f"{base}/withdraw", {"reason": "moving on"}, {}),
        *body_cases(f"{base}/steps/prepare_lmia/deadline", {"due_on": "2027-01-06", "reason": "r"}, {}),
        *body_cases(f"{base}/steps/submit_lmia/decision", {"outcome": "submitted", "fields": {"submitted_on": "2026-01-05"}}, {}),
        *body_cases(f"{base}/items/job_details/waive", {"reason": "not needed"}, {}),
        ("POST", "/api/v1/hires", {"json": {**hire, "pathway": "cusma", "category": "Z9"}}),
        ("POST", "/api/v1/hires", {"json": {**hire, "category": "Q"}}),
        ("POST", "/api/v1/hires", {"json": hire, "headers": {"Idempotency-Key": "k" * 300}}),
        ("POST", "/api/v1/screenings", {"content": b"{not json", **raw}),
        ("POST", "/api/v1/screenings", {"content": b"[1, 2]", **raw}),
        ("POST", "/api/v1/screenings", {"content": b"", **raw}),
        ("POST", "/api/v1/screenings", {"content": b"a=b", "headers": {"content-type": "text/plain"}}),
        ("POST", f"{base}/withdraw", {"content": b'{"reason": "x",}', **raw}),
        ("POST", f"{base}/steps/submit_lmia/decision", {"json": {"outcome": "submitted", "fields": {"k" * 61: "v"}}}),
        ("POST", f"{base}/steps/submit_lmia/decision", {"json": {"outcome": "submitted", "fields": {str(i): "v" for i in range(21)}}}),
        ("POST", f"{base}/steps/submit_lmia/decision", {"json": {"outcome": "submitted", "fields": {"submitted_on": "x" * 501}}}),
        ("POST", f"{base}/documents", {"data": {"item": "Not An Item"}, "files": {"file": ("a.pdf", PDF)}}),
        ("POST", f"{base}/documents", {"data": {"item": "job_details", "accept": "maybe"}, "files": {"file": ("a.pdf", PDF)}}),
        ("POST", f"{base}/documents", {"data": {"item": "job_details", "file": "text"}}),
        ("POST", f"{base}/documents", {"data": {"item": "job_details"}, "files": {"file": ("a.txt", b"plain text")}}),
        ("POST", f"{base}/documents", {"data": {"item": "job_details"}, "files": {"file": ("a.pdf", b"")}}),
        ("POST", f"{base}/documents", {"files": {"file": ("a.pdf", PDF)}}),
    ]  # fmt: skip
    queries = {
        "/api/v1/hires": [
            {"limit": "0"}, {"limit": "abc"}, {"limit": "1000"}, {"status": "nope"},
            {"sort": "sideways"}, {"overdue": "maybe"}, {"cursor": "zzz"},
            {"owner": "x" * 400}, {"pathway": "x" * 30}, {"cursor": "c" * 600},
        ],
        f"{base}/events": [{"after": "-1"}, {"after": "abc"}, {"after": str(10**20)}],
    }  # fmt: skip
    cases += [("GET", path, {"params": q}) for path, qs in queries.items() for q in qs]
    for bad in ("not-a-hire", "hire-123", "HIRE-" + "0" * 36):
        cases += [
            ("GET", f"/api/v1/hires/{bad}", {}),
            ("POST", f"/api/v1/hires/{bad}/withdraw", {"json": {"reason": "r"}}),
        ]
    for bad in ("Bad Step", "a" * 61, "x.y"):
        cases += [
            (
                "POST",
                f"{base}/steps/{bad}/deadline",
                {"json": {"due_on": "2027-01-06", "reason": "r"}},
            ),
            ("POST", f"{base}/items/{bad}/accept", {}),
        ]
    cases += [
        ("GET", f"{base}/documents/{'d' * 40}", {}),
        ("GET", f"/api/v1/pathways/{'p' * 30}", {}),
    ]
    return cases  # fmt: skip


def negative_cases(app_openapi: dict[str, Any], hire_id: str, per_operation: int) -> list[Request]:
    """Schemathesis's negative cases for every operation (derandomized: the same each run),
    half of them aimed at a real hire so they reach the hire's own checks."""
    schema = schemathesis.openapi.from_dict(app_openapi)
    cases: list[Request] = []
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]
        drawn: list[Any] = []

        @settings(
            max_examples=per_operation,
            derandomize=True,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            deadline=None,
        )
        @given(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        def draw(case: Any) -> None:
            drawn.append(case)  # noqa: B023 (drawn now, inside this loop)

        try:
            draw()
        except Unsatisfiable:  # no parameter, or none that can be wrong
            continue
        for index, case in enumerate(drawn):
            cases.append(_as_request(case, hire_id if index % 2 else ""))
    return cases  # fmt: skip


def _as_request(case: Any, hire_id: str) -> Request:
    sent = case.as_transport_kwargs(base_url="http://hirepath.test")
    path = sent["url"].removeprefix("http://hirepath.test")
    if hire_id:
        path = re.sub(r"^/api/v1/hires/hire-[0-9a-f-]{36}", f"/api/v1/hires/{hire_id}", path)
    kwargs: dict[str, Any] = {"params": sent.get("params") or {}}
    headers = {
        k: v
        for k, v in (sent.get("headers") or {}).items()
        if k.lower() in ("content-type", "idempotency-key") and str(v).isascii()
    }
    kwargs["headers"] = headers
    if "json" in sent:
        kwargs["json"] = sent["json"]
    elif sent.get("files"):
        kwargs["files"] = sent["files"]
    elif sent.get("data") is not None:
        data = sent["data"]
        kwargs["content"] = data if isinstance(data, bytes) else str(data).encode()
    return case.method.upper(), path, kwargs


async def _leaks_in(api: httpx.AsyncClient, team: TeamKey, cases: list[Request]) -> list[str]:
    found: list[str] = []
    for method, path, kwargs in cases:
        kwargs = dict(kwargs)
        headers = {**kwargs.pop("headers", {}), **team.headers}
        try:
            response = await api.request(method, path, headers=headers, **kwargs)
        except (TypeError, ValueError, UnicodeError, httpx.InvalidURL):
            continue  # a request the client itself cannot send
        assert response.status_code < 500, (method, path, kwargs, response.text[:500])
        if not 400 <= response.status_code < 500:
            continue
        body = response.json()
        sent = [*strings_in(kwargs), *path.split("/")]
        for text in [body.get("detail", ""), *(body.get("fields") or {}).values()]:
            found += [f"{method} {path}: {leak}" for leak in leaks(str(text), sent)]
    return found


async def _a_hire(api: httpx.AsyncClient, team: TeamKey) -> str:
    created = await api.post(
        "/api/v1/hires", headers=team.headers, json=hire_body(name=unique_name("Words"))
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def test_no_4xx_message_holds_a_pattern_a_path_or_a_python_name(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    hire_id = await _a_hire(api, team)
    openapi = (await api.get("/openapi.json")).json()
    cases = handcrafted(f"/api/v1/hires/{hire_id}") + negative_cases(openapi, hire_id, 12)
    assert len(cases) > 1000
    found = await _leaks_in(api, team, cases)
    assert found == [], "\n".join(found[:40])


async def test_the_api_says_each_problem_in_hr_words_and_keeps_the_field_path(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    body = hire_body(name=unique_name("Words"))
    body["candidate"]["citizenships"] = ["IN", "usa"]
    body["candidate"]["email"] = "not-an-email"
    body["position"]["province"] = "Ontario"
    body["position"]["noc"] = "2123"
    body["position"]["wage"]["amount"] = 0
    body["position"]["start_date"] = "next spring"
    body["hr_owner"]["name"] = "x" * 201
    del body["manager"]
    response = await api.post("/api/v1/hires", headers=team.headers, json=body)
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "candidate.citizenships.1": "Use a two-letter country code, like IN or US",
        "candidate.email": "Enter an email address like name@example.com",
        "position.province": "Choose a province",
        "position.noc": "Use the 5-digit NOC 2021 code, like 21231",
        "position.wage.amount": "Enter a number above 0",
        "position.start_date": "Enter a date like 2027-01-06",
        "hr_owner.name": "Use at most 200 characters",
        "manager": "This can't be empty",
    }
    detail = response.json()["detail"]
    assert detail.startswith("Country of citizenship: Use a two-letter country code")
    assert (
        "Province: Choose a province" in detail and "Hiring manager: This can't be empty" in detail
    )
    # codes in any case are the codes
    position = {k: v for k, v in body["position"].items() if k != "title"}
    position |= {"province": " on", "noc": "21231", "wage": {"amount": 145000, "per": "year"}}
    position.pop("start_date")
    screened = await api.post(
        "/api/v1/screenings",
        headers=team.headers,
        json={"candidate": {"citizenships": ["in"], "residence": " Us "}, "position": position},
    )
    assert screened.status_code == 200, screened.text
    broken = await api.post(
        "/api/v1/screenings",
        headers={**team.headers, "content-type": "application/json"},
        content=b'{"candidate": ',
    )
    assert broken.status_code == 422
    assert broken.json() == {
        "detail": "The request: This is not valid JSON: check its quotes, commas and brackets",
        "fields": {"body": "This is not valid JSON: check its quotes, commas and brackets"},
    }


async def _signed_in(web: httpx.AsyncClient, team: TeamKey) -> str:
    await sign_in(web, team)
    return _csrf((await web.get("/hires/new")).text)


_csrf = csrf_of


NEW_HIRE = {
    "candidate.name": "Ana Lima",
    "candidate.email": "ana@candidate.example",
    "candidate.citizenships": "IN",
    "position.title": "Engineer",
    "position.noc": "21231",
    "position.wage.amount": "145000",
    "position.wage.per": "year",
    "position.province": "ON",
    "pathway": "gts",
    "category": "B",
    "hr_owner.name": "Dana Reyes",
    "hr_owner.email": "hr@employer.example",
    "manager.name": "Sam Okafor",
    "manager.email": "manager@employer.example",
}
# The new-hire form filled in wrongly, one way per kind of field; and left empty.
BAD_FORMS: list[dict[str, str]] = [
    {},
    {"candidate.citizenships": "India"},
    {"candidate.residence": "usa", "candidate.permanent_residences": "1, 2"},
    {"candidate.email": "ana at example", "hr_owner.email": "@"},
    {"position.noc": "2123", "position.wage.amount": "-5", "position.province": "ZZ"},
    {"position.wage.amount": "lots", "position.hours_per_week": "1e-25"},
    {"position.start_date": "soon", "position.duration_months": "1.5"},
    {"candidate.related_employment.start": "2024-01-01", "candidate.related_employment.end": "2020-01-01"},
    {"candidate.years_experience": "4.25", "candidate.education": "phd"},
    {"category": "TOO LONG", "pathway": "bus"},
    {"candidate.designations": ",".join(["CPA"] * 11)},
    {"position.cusma_profession": "NOT_A_PROFESSION", "position.ict_capacity": "boss"},
    {"override.justification": "short", "candidate.name": "x" * 201},
    {"pathway": "cusma", "category": "Z9"},
    {"position.noc": "11100"},
]  # fmt: skip


async def test_no_page_error_state_holds_a_pattern_a_path_or_a_python_name(
    api: httpx.AsyncClient, web: httpx.AsyncClient, team: TeamKey
) -> None:
    token = await _signed_in(web, team)
    found: list[str] = []
    for bad in BAD_FORMS:
        form = {"csrf_token": token, **(NEW_HIRE if bad else {}), **bad}
        for path, headers in (
            ("/hires/new", {}),
            ("/hires/new/screen", {}),
            ("/hires/new/screen", {"x-requested-with": "fetch"}),
        ):
            answer = await web.post(path, data=form, headers=headers)
            assert answer.status_code in (200, 422, 409), (path, bad, answer.text[:300])
            text = visible_text(answer.text, skip=("verdicts",))
            if path == "/hires/new":
                assert "to fix before the hire can start" in text, (bad, text[:500])
            found += [f"{path} {bad}: {leak}" for leak in leaks(text, strings_in(bad))]
    page = f"/hires/{await _a_hire(api, team)}"
    came_from = {"referer": f"http://hirepath.test{page}"}
    posts = [
        (f"{page}/steps/submit_lmia/decision", {"outcome": "x" * 41}),
        (f"{page}/steps/prepare_lmia/decision", {"outcome": "submitted", "field.submitted_on": "x" * 501}),
        (f"{page}/steps/prepare_lmia/deadline", {"due_on": "soon", "reason": "later"}),
        (f"{page}/steps/prepare_lmia/deadline", {"due_on": "2027-01-06", "reason": ""}),
        (f"{page}/steps/prepare_lmia/deadline", {"due_on": "2027-01-06", "reason": "r" * 2001}),
        (f"{page}/withdraw", {"reason": ""}),
        (f"{page}/items/job_details/waive", {"reason": ""}),
    ]  # fmt: skip
    for path, data in posts:
        posted = await web.post(path, data={"csrf_token": token, **data}, headers=came_from)
        shown = (await web.get(page)).text if posted.status_code == 303 else posted.text
        flashes = re.findall(r'class="flash[^"]*"[^>]*>(.*?)</', shown, re.S)
        text = " ".join(flashes) if posted.status_code == 303 else visible_text(shown)
        assert text.strip(), (path, posted.status_code, shown[:500])
        found += [f"{path}: {leak}" for leak in leaks(visible_text(text), strings_in(data))]
    for path in ("/hires/not-a-hire", "/hires/hire-123/events", f"{page}/documents/{'d' * 40}"):
        refused = await web.get(path)
        assert 400 <= refused.status_code < 500, (path, refused.status_code)
        found += [f"{path}: {leak}" for leak in leaks(visible_text(refused.text))]
    assert found == [], "\n".join(found[:40])
