"""Global Talent Stream hire: LMIA from ESDC, then the work permit, then its expiry."""

from __future__ import annotations

from temporalio import workflow

from workflows import patches
from workflows.hire import HireWorkflow

with workflow.unsafe.imports_passed_through():
    from contracts.hire import WORKFLOW_TYPES, HireInput, HireResult, HireStatus


@workflow.defn(name=WORKFLOW_TYPES["gts"])
class GtsHire(HireWorkflow):
    @workflow.run
    async def run(self, input: HireInput) -> HireResult:
        return await self.run_pathway(self.process)

    async def process(self) -> HireStatus:
        if self.has_step("referral"):  # Category A
            await self.run_step("referral")
        await self.run_step("prepare_lmia")
        await self.run_step("submit_lmia")  # records the date ESDC received it
        await self.run_step("lmia_decision")  # a refusal ends the hire here
        await self.run_step("send_lmia_to_worker")
        await self.work_permit()  # online (the two-week clock) or at the border; then entry
        # Hires that reached the permit before expiry tracking existed ended there.
        if workflow.patched(patches.PERMIT_TRACKING):
            return await self.track_permit()
        return HireStatus.PERMIT_ISSUED
