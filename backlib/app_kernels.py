"""The app's kernel manager: idle kernels are culled, but never one just handed to a page.

Voila's preheated kernel runs the notebook and then waits in the pool, where Voila's own culler
leaves it alone. Its idle clock, though, started when it finished running the notebook: handed
to a page after a minute in the pool, it looks idle for longer than the cull timeout, and the
culler shut it down before the browser's websocket reached it, leaving a dead page. Here a
kernel's idle clock starts again when the culler first sees it out of the pool, so a page
always gets the whole timeout to connect; a kernel whose page closed is culled as before.
"""

from __future__ import annotations

import datetime as dt

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class AppKernelManager(AsyncMappingKernelManager):
    """AsyncMappingKernelManager whose idle clock starts when a kernel leaves Voila's pool.

    Voila wraps it (``VoilaConfiguration.multi_kernel_manager_class``) in its pooling manager,
    which calls this culler only for kernels no longer waiting in the pool.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._handed_out: set[str] = set()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Cull an idle, unconnected kernel, counting its idle time from when it left the pool
        at the earliest (the first time it is seen here)."""
        if kernel_id not in self:  # shut down meanwhile
            return
        kernel = self.get_kernel(kernel_id)
        if kernel_id not in self._handed_out:
            self._handed_out.add(kernel_id)
            # the idle clock starts now: the page this kernel was handed to is still connecting
            kernel.last_activity = dt.datetime.now(dt.UTC)
            return
        await super().cull_kernel_if_idle(kernel_id)

    def remove_kernel(self, kernel_id: str) -> object:
        """Forget a kernel that has gone (it may not come back under the same id)."""
        self._handed_out.discard(kernel_id)
        return super().remove_kernel(kernel_id)
