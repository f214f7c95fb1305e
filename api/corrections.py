"""Corrections as the API takes them: the hire's details edited, a recorded decision
amended (request models, and the workflow inputs they become)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import EmailStr, StringConstraints, field_validator

from api.schemas import DecisionIn, Language, Name, Phone, Reason, Strict, plausible
from contracts.hire import AmendDecisionInput, EditDetailsInput

OptionalReason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class CandidateEdit(Strict):
    name: Name | None = None
    email: EmailStr | None = None
    phone: Phone | None = None
    preferred_language: Language | Literal[""] | None = None  # "": not said


class PersonEdit(Strict):
    name: Name | None = None
    email: EmailStr | None = None


class DetailsEdit(Strict):
    """Only what is given changes; each change shows on the timeline with its old value."""

    candidate: CandidateEdit | None = None
    hr_owner: PersonEdit | None = None
    manager: PersonEdit | None = None
    start_date: date | None = None
    reason: OptionalReason = ""

    @field_validator("start_date")
    @classmethod
    def _start(cls, value: date | None) -> date | None:
        return plausible(value, "The start date", date(2000, 1, 1))

    def as_input(self, actor: str) -> EditDetailsInput:
        candidate = self.candidate or CandidateEdit()
        hr, manager = self.hr_owner or PersonEdit(), self.manager or PersonEdit()
        return EditDetailsInput(
            candidate_name=candidate.name,
            candidate_email=str(candidate.email) if candidate.email else None,
            candidate_phone=candidate.phone,
            preferred_language=candidate.preferred_language,
            hr_owner_name=hr.name,
            hr_owner_email=str(hr.email) if hr.email else None,
            manager_name=manager.name,
            manager_email=str(manager.email) if manager.email else None,
            start_date=self.start_date,
            reason=self.reason,
            actor=actor,
        )


class AmendIn(DecisionIn):
    """The decision as it should have been recorded, and why it changes."""

    reason: Reason

    def as_input(self, step: str, actor: str) -> AmendDecisionInput:
        return AmendDecisionInput(step, self.outcome, dict(self.fields), self.reason, actor)
