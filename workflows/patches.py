"""The ``workflow.patched`` IDs: each marks a change to running hires' behaviour.

A patch's old branch stays until no hire whose history passed the patch point without its
marker is still running (or within Temporal's retention); then the call becomes
``workflow.deprecate_patch`` for one release, then goes (docs/versioning.md lists each patch
with the saved history that proves both branches replay)."""

from __future__ import annotations

from typing import Final

# 2026-11-29. The CBSA step is an authority's: due and passed notices, not escalations.
# Hires started before it keep the escalations they were promised.
AUTHORITY_BY_OWNER: Final = "authority-steps-by-owner"

# 2026-11-29. GTS hires track their permit's expiry after it is issued.
PERMIT_TRACKING: Final = "permit-expiry-tracking"

# 2026-11-29. A permit recorded with less than the first reminder's notice left gets a
# reminder at once.
PERMIT_EXPIRING_SOON: Final = "permit-expiring-soon-reminder"

# 2026-11-29. A settled step is projected with the next step's opening (one recorder call,
# not two); whatever runs next projects before it waits.
MERGED_STEP_PROJECTION: Final = "merged-step-projection"

# 2026-11-29. Projections carry only the steps and clocks that changed (record_changes).
RECORD_CHANGES: Final = "record-changes"

# 2026-12-03. The projection runs as a local activity, falling back to a regular one.
LOCAL_PROJECTION: Final = "local-projection"

# 2026-12-03. A hire continues as new when its history grows long (its state carried).
CONTINUE_AS_NEW: Final = "continue-as-new"

# 2026-12-03. A permanently refused email has one line on the timeline (the notifier's), not
# a second from the workflow (and no extra projection for it).
ONE_EMAIL_FAILED_LINE: Final = "one-email-failed-line"

# 2026-12-03. A hire started with search attributes keeps its status, current step and next
# due date searchable (upserted when they change).
SEARCH_ATTRIBUTES: Final = "search-attributes"

# 2026-12-03. A withdrawal leaves a step whose decision is recorded but whose checklist is not
# settled as skipped, not done (a step is done only when it settled, or when its own outcome
# ended the hire).
WITHDRAWAL_SKIPS_UNSETTLED: Final = "withdrawal-skips-unsettled-steps"
