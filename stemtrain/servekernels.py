"""Course mode's kernels do not pile up: each page's kernel goes when the page does.

A page sets the ``_xsrf`` cookie its shutdown beacon needs (Voilà's pages never did, voila-dashboards/voila#1458,
so every beacon was refused and every page view left a kernel), the beacon of a page whose kernel has already
gone is answered quietly, a page that leaves during its websocket handshake is let go, and kernels of pages
that have gone are culled: after ``cull_idle_timeout`` seconds of quiet if a page was ever connected, after
``unclaimed_timeout`` if none ever was (a page still loading). A kernel with an open page is never culled.
"""

from __future__ import annotations

from typing import Any

import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server._tz import utcnow
from jupyter_server.auth.decorator import ws_authenticated
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.websocket import WebSocketHandler
from traitlets import Integer
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

__all__ = ["CourseKernelManager", "CourseKernelWebsocketHandler", "CoursePageHandler", "CourseShutdownHandler"]


class CourseKernelManager(AsyncMappingKernelManager):
    """Culls the kernels of pages that have gone, never one whose page is open; logs it as the routine it is."""

    unclaimed_timeout = Integer(
        300,
        config=True,
        help="Seconds an idle kernel no page ever connected to is kept (its page may still be loading on a busy machine).",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._claimed: set[str] = set()

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self._claimed.add(kernel_id)

    async def cull_kernels(self) -> None:
        self._claimed &= set(self._kernels)
        await super().cull_kernels()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        kernel = self._kernels.get(kernel_id)
        if kernel is None or self._kernel_connections.get(kernel_id, 0) > 0:
            return  # an open page, however idle, keeps its kernel
        state = getattr(kernel, "execution_state", None)
        last = getattr(kernel, "last_activity", None)
        if state == "busy" or last is None:
            return
        idle = (utcnow() - last).total_seconds()
        limit = self.cull_idle_timeout if kernel_id in self._claimed else max(self.cull_idle_timeout, self.unclaimed_timeout)
        if state == "dead" or idle > limit:
            self.log.info("Shutting down kernel %s: its page is closed (idle %d s).", kernel_id, idle)
            self._claimed.discard(kernel_id)
            await ensure_async(self.shutdown_kernel(kernel_id))


class CoursePageHandler(TornadoVoilaHandler):
    """A Voilà page that also sets the ``_xsrf`` cookie, which its shutdown beacon sends back when the page is left."""

    async def get(self, path: str | None = None) -> None:
        self.xsrf_token  # noqa: B018 - reading it sets the cookie
        await super().get(path=path)


class CourseKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """A page's kernel websocket that lets the page leave while the websocket is still being set up.

    When the client goes during the handshake, jupyter_server drops its connection object and then trips over it
    (an AttributeError and two tracebacks in the console). Here the handshake is simply not completed.
    """

    @ws_authenticated
    async def get(self, kernel_id: str) -> None:
        self.kernel_id = kernel_id
        await self.pre_get()
        stream = getattr(self.request.connection, "stream", None)
        if getattr(self, "connection", None) is None or stream is None or stream.closed():
            self.log.info("A page left while its websocket to kernel %s was being set up.", kernel_id)
            return
        await WebSocketHandler.get(self, kernel_id=kernel_id)

    def on_close(self) -> None:
        if getattr(self, "connection", None) is not None:
            super().on_close()


class CourseShutdownHandler(VoilaShutdownKernelHandler):
    """The beacon of a page being left: shuts its kernel down, and says nothing if the kernel has already gone
    (culled while the laptop slept, say), where Voilà logged three warnings."""

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        if kernel_id in self.kernel_manager:
            await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id))
        self.set_status(204)
