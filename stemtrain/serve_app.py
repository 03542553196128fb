"""The course-mode server: Voilà, run from our own entry point so that it is private, quiet and frees its kernels.

``python -m stemtrain.serve_app NOTEBOOKS [voila options]`` is what ``stemtrain serve`` runs (``serve.voila_command``).
It is Voilà's own application with these changes:

* **Loopback only.** Every request, websockets included, whose ``Host`` header is not ``127.0.0.1``, ``localhost``
  or ``[::1]`` (with the served port, or none) gets 403 before any handler runs, so a DNS-rebinding page cannot
  reach the learner's kernels. ``--token`` also requires a secret: the printed link carries it once, the server
  swaps it for an HttpOnly cookie and drops it from the address; anything else gets 403 (``serveguard``).
* **Kernels do not pile up.** A page sets the ``_xsrf`` cookie its shutdown beacon needs (Voilà's pages never did,
  voila-dashboards/voila#1458, so every beacon was refused and every page view left a kernel), and kernels of
  pages that have gone are culled: a kernel with no open page is shut down after ``cull_idle_timeout`` seconds of
  quiet if a page was ever connected to it, after ``unclaimed_timeout`` if none ever was (a page still loading).
  A kernel with an open page is never culled (``servekernels``). Kernels talk over IPC sockets in a private folder, not TCP ports,
  so many kernels starting at once cannot race for a port.
* **Pleasant to start.** ``/`` leads to the start page; the browser opens there; the printed address is the start
  page's; pages are titled with their module's heading; nothing a learner need not act on is logged as a warning.
  The course caches are filled in a background process while the server starts (``serve.warm_caches``).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import webbrowser
from typing import Any, ClassVar

import tornado.web
from jupyter_server.services.contents.largefilemanager import LargeFileManager
from jupyter_server.utils import url_path_join
from traitlets import Bool
from traitlets.config import Config
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from .serve import START_PAGE
from .serveguard import GuardedApplication, host_allowed
from .servekernels import CourseKernelManager, CourseKernelWebsocketHandler, CoursePageHandler, CourseShutdownHandler

__all__ = ["CourseKernelManager", "CourseVoila", "host_allowed", "main"]

_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")


class CourseContentsManager(LargeFileManager):
    """Notebooks as Voilà reads them: titled by their first heading, and without the notebook-trust warning.

    Voilà runs every notebook afresh and shows only what that run outputs, so the stored outputs a notebook
    signature vouches for are never shown; checking signatures would only log "Notebook … is not trusted".
    """

    def mark_trusted_cells(self, nb: Any, path: str = "") -> None:
        self.notary.mark_cells(nb, True)

    def get(self, path: Any, content: Any = True, type: Any = None, format: Any = None, require_hash: Any = False) -> Any:
        model = super().get(path, content=content, type=type, format=format, require_hash=require_hash)
        nb = model.get("content") if model.get("type") == "notebook" else None
        if nb is not None and "title" not in nb.metadata:
            title = notebook_title(nb)
            if title:
                nb.metadata["title"] = title  # the page's <title> (nbconvert's lab template reads it)
        return model


def notebook_title(nb: Any) -> str:
    """The first Markdown heading of a notebook (``# 01 · Back pain and the spine``), or ''."""
    for cell in nb.cells[:3]:
        if cell.get("cell_type") == "markdown":
            for line in str(cell.get("source", "")).splitlines():
                match = _HEADING.match(line.strip())
                if match:
                    return match.group(1)
    return ""


def _defaults() -> Config:
    """Course mode's settings; anything given on the command line wins."""
    c = Config()
    c.Voila.ip = "127.0.0.1"
    c.VoilaConfiguration.multi_kernel_manager_class = CourseKernelManager
    c.VoilaConfiguration.allow_template_override = "NO"  # ?template=lab would bring back the CDN links
    c.MappingKernelManager.cull_idle_timeout = 30
    c.MappingKernelManager.cull_interval = 10
    c.MappingKernelManager.cull_connected = False
    # After a cell's reply, its last outputs may still be on their way; nbclient's 4 s wait for them runs out on a
    # busy machine (many pages starting at once) and the page would lack that output. The wait ends when they come.
    c.VoilaExecutor.iopub_timeout = 60
    if os.name == "posix":
        c.KernelManager.transport = "ipc"  # no TCP ports: no "Address already in use" when many kernels start
        c.Voila.connection_dir_root = tempfile.gettempdir() if len(tempfile.gettempdir()) <= 40 else "/tmp"  # socket paths stay short
    return c


class CourseVoila(Voila):
    """Voilà as course mode runs it (see the module docstring)."""

    flags: ClassVar[dict[str, Any]] = {
        **Voila.flags,
        "token": ({"CourseVoila": {"require_token": True}}, "Require a secret token, printed in the link (for shared machines)."),
        "no-warm": ({"CourseVoila": {"warm": False}}, "Do not fill the course caches in the background at start."),
    }
    require_token = Bool(False, config=True, help="Require a random token on every request (carried by the printed link).")
    warm = Bool(True, config=True, help="Fill the course caches (course data, figures) in a background process at start.")

    port: int
    course_token = ""
    _warm_process: subprocess.Popen[bytes] | None = None
    _open_file = ""

    @property
    def token_cookie(self) -> str:
        return f"stemtrain-course-{self.port}"

    @property
    def start_url(self) -> str:
        url = f"http://127.0.0.1:{self.port}{url_path_join(self.base_url, 'voila/render', START_PAGE)}"
        return f"{url}?token={self.course_token}" if self.course_token else url

    @property
    def display_url(self) -> str:
        return self.start_url

    def initialize(self, argv: Any = None) -> None:
        self.update_config(_defaults())
        super().initialize(argv)
        if self.require_token:
            self.course_token = secrets.token_urlsafe(24)
        self._init_logging()

    def _init_logging(self) -> None:
        """Tornado's messages through our log, labelled with their level like ours; requests only when refused or failed."""
        tornado_log = logging.getLogger("tornado")
        tornado_log.parent = self.log
        tornado_log.propagate = True
        tornado_log.setLevel(self.log.level)
        logging.getLogger("tornado.access").setLevel(max(self.log.level, logging.WARNING))
        logging.getLogger("tornado.general").addFilter(_quiet_ping_notice)

    def init_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = super().init_settings()
        self.contents_manager = CourseContentsManager(parent=self)
        settings["contents_manager"] = self.contents_manager
        settings["allow_remote_access"] = False  # jupyter_server's own Host check, behind ours
        return settings

    def init_handlers(self) -> list[Any]:
        """Voilà's handlers, with ours for pages and kernel websockets, and ``/`` leading to the start page."""
        start = url_path_join(self.base_url, "voila/render", START_PAGE)
        has_start = os.path.exists(os.path.join(self.root_dir, START_PAGE))
        replaced = {
            TornadoVoilaHandler: CoursePageHandler,
            VoilaKernelWebsocketHandler: CourseKernelWebsocketHandler,
            VoilaShutdownKernelHandler: CourseShutdownHandler,
        }
        handlers = []
        for pattern, handler, *rest in super().init_handlers():
            if handler is TornadoVoilaTreeHandler and pattern == self.server_url and has_start:
                handlers.append((pattern, tornado.web.RedirectHandler, {"url": start, "permanent": False}))
            else:
                handlers.append((pattern, replaced.get(handler, handler), *rest))
        return handlers

    def start(self) -> None:
        """Voilà's start, with our application class, and the caches warming while it listens."""
        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        if not self.port:  # port 0: pick one, so the Host check and the printed address know it
            self.port = _free_port(self.ip)
        settings = self.init_settings()
        self.app = GuardedApplication(**settings)
        self.app.course = self
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(".*$", self.init_handlers())
        if self.warm:
            self._start_warming()
            threading.Thread(target=_preload_for_first_page, daemon=True).start()
        self.listen()

    def _start_warming(self) -> None:
        try:  # a process of its own: matplotlib stays out of the server, and the server answers meanwhile
            self._warm_process = subprocess.Popen(
                [sys.executable, "-m", "stemtrain.serve"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        except OSError as exc:
            self.log.info("Not warming the course caches: %s", exc)

    def stop(self) -> None:
        if self._warm_process is not None and self._warm_process.poll() is None:
            self._warm_process.terminate()
        if self._open_file:
            os.unlink(self._open_file)
        super().stop()

    def launch_browser(self) -> None:
        """Open the start page, through a private file so the token never shows in a process list."""
        try:
            browser = webbrowser.get(self.browser or None)
        except webbrowser.Error:
            self.log.info("No web browser found: open %s", self.start_url)
            return
        fd, self._open_file = tempfile.mkstemp(suffix=".html", prefix="stemtrain-open-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f'<!DOCTYPE html><meta http-equiv="refresh" content="0;url={self.start_url}"><a href="{self.start_url}">Start</a>')
        threading.Thread(
            target=browser.open, args=(f"file://{self._open_file}",), kwargs={"new": self.webbrowser_open_new}, daemon=True
        ).start()


def _preload_for_first_page() -> None:
    """What the server itself first imports when a page starts a kernel: listing kernel-spec folders imports IPython
    (jupyter_client looks for ~/.ipython/kernels), a third of a second once that the first page would wait for."""
    import importlib

    try:
        importlib.import_module("IPython.paths")
    except ImportError:
        pass


_BENIGN = (
    # jupyter_server's websocket ping timeout exceeds tornado's interval (a version mismatch with no effect on the
    # pages: jupyter_server checks its own pings)
    "The websocket_ping_timeout",
    # a message still arriving from a kernel that was just shut down (a closed page's, or a culled one's): dropped,
    # as it should be
    "Got events for closed stream",
)


def _quiet_ping_notice(record: logging.LogRecord) -> bool:
    """Drop tornado's notices that say nothing is wrong and that nobody running a course can act on (``_BENIGN``)."""
    return not str(record.msg).startswith(_BENIGN)


def _free_port(ip: str) -> int:
    with socket.socket() as s:
        s.bind((ip or "127.0.0.1", 0))
        return int(s.getsockname()[1])


main = CourseVoila.launch_instance

if __name__ == "__main__":
    main()
