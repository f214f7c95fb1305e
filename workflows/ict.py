"""Intra-Company Transfer hire: evidence, Employer Portal offer, the permit and its expiry."""

from __future__ import annotations

from temporalio import workflow

from workflows.hire import HireWorkflow

with workflow.unsafe.imports_passed_through():
    from contracts.hire import WORKFLOW_TYPES, HireInput, HireResult, HireStatus


@workflow.defn(name=WORKFLOW_TYPES["ict"])
class IctHire(HireWorkflow):
    @workflow.run
    async def run(self, input: HireInput) -> HireResult:
        return await self.run_pathway(self.process)

    async def process(self) -> HireStatus:
        await self.run_step("transfer_evidence")  # relationship, 1-in-3, capacity
        await self.run_step("employer_portal_offer")  # code C61/C62/C63 (T37/T38), $230 fee
        await self.work_permit()
        return await self.track_permit()  # renewals by category, within the cumulative cap
