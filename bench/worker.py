"""The product worker and a bare one in the same process, with the same settings
(python -m bench.worker)."""

from __future__ import annotations

import asyncio
import signal
from concurrent.futures import ThreadPoolExecutor

from temporalio.worker import Worker

from bench.bare import BARE_QUEUE, BareHire, bare_notify, bare_record
from core.settings import Settings
from core.temporal import connect
from hirepath.worker import build_parts, build_worker, workflow_runner
from store.db import make_engine, session_factory


async def main() -> None:
    settings = Settings()
    engine = make_engine(settings.database, pool_size=settings.database_pool_size)
    client = await connect(settings)
    parts = build_parts(settings, session_factory(engine))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    with ThreadPoolExecutor(max_workers=settings.max_concurrent_activities) as executor:
        product = build_worker(client, settings, parts, executor)
        bare = Worker(
            client,
            task_queue=BARE_QUEUE,
            workflows=[BareHire],
            activities=[bare_record, bare_notify],
            max_cached_workflows=settings.max_cached_workflows,
            workflow_runner=workflow_runner(settings.workflow_sandbox),
        )
        async with product, bare:
            await stop.wait()
    engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
