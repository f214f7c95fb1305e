"""The Monday digest, started by a Temporal Schedule (hirepath/digest.py) at 08:00 Eastern on
Mondays: who has something to hear about, then one email each (activities/digest.py). The
workflow only orders the work; the store is read and the mail sent by the activities, each
person's email once a week however often it is retried or run again."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from contracts.activities import ActivityName
    from contracts.digest import (
        DIGEST_WORKFLOW,
        SEND_WITHIN,
        DigestInput,
        DigestPeopleInput,
        DigestPeopleResult,
        DigestResult,
        SendDigestInput,
        SendDigestResult,
        iso_week,
    )
    from pathways.calendar import eastern_date

READ_TIMEOUT = timedelta(minutes=2)
SEND_TIMEOUT = timedelta(seconds=30)  # the SMTP exchange is bounded at 20 s
RETRY = RetryPolicy(maximum_interval=timedelta(minutes=10))
# The send activity gives up by itself after SEND_WITHIN (and marks its email failed); this
# is the backstop.
GIVE_UP_AFTER = SEND_WITHIN + timedelta(hours=1)


@workflow.defn(name=DIGEST_WORKFLOW)
class DigestWorkflow:
    @workflow.run
    async def run(self, input: DigestInput) -> DigestResult:
        at = workflow.now()
        found = await workflow.execute_activity(
            ActivityName.DIGEST_PEOPLE,
            DigestPeopleInput(at=at, team_id=input.team_id),
            result_type=DigestPeopleResult,
            start_to_close_timeout=READ_TIMEOUT,
            retry_policy=RETRY,
            schedule_to_close_timeout=GIVE_UP_AFTER,
        )
        results = await asyncio.gather(
            *(
                workflow.execute_activity(
                    ActivityName.SEND_DIGEST,
                    SendDigestInput(person=person, at=at),
                    result_type=SendDigestResult,
                    start_to_close_timeout=SEND_TIMEOUT,
                    retry_policy=RETRY,
                    schedule_to_close_timeout=GIVE_UP_AFTER,
                )
                for person in found.people
            ),
            return_exceptions=True,  # one refused address does not stop the others
        )
        return DigestResult(
            week=iso_week(eastern_date(at)),
            people=len(found.people),
            sent=sum(1 for r in results if isinstance(r, SendDigestResult) and r.sent),
            failed=sum(1 for r in results if isinstance(r, BaseException)),
        )
