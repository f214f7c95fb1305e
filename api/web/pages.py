"""The HR pages: server-rendered HTML over the same commands and presenters as the JSON API,
one module per page family, gathered in one router."""

from __future__ import annotations

from fastapi import APIRouter

from api.web import (
    calendar_links,
    hire_actions,
    hire_list,
    hires,
    new_hire,
    outbox,
    pathways,
    reports,
    signin,
    today,
)

router = APIRouter(include_in_schema=False)
FAMILIES = (
    signin,
    today,
    hire_list,
    new_hire,
    hires,
    hire_actions,
    pathways,
    outbox,
    reports,
    calendar_links,
)
for family in FAMILIES:
    router.include_router(family.router)
