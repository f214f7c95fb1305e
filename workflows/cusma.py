"""CUSMA Professional hire: Employer Portal offer, the application, the permit and its expiry."""

from __future__ import annotations

from temporalio import workflow

from workflows.hire import HireWorkflow

with workflow.unsafe.imports_passed_through():
    from contracts.hire import WORKFLOW_TYPES, HireInput, HireResult, HireStatus


@workflow.defn(name=WORKFLOW_TYPES["cusma"])
class CusmaHire(HireWorkflow):
    @workflow.run
    async def run(self, input: HireInput) -> HireResult:
        return await self.run_pathway(self.process)

    async def process(self) -> HireStatus:
        await self.run_step("employer_portal_offer")  # offer number and the $230 fee
        await self.run_step("send_offer_to_worker")
        await self.work_permit()  # a US citizen may apply at the border; a Mexican one online
        return await self.track_permit()  # renewable without a cap
