"""Warm kernels for the report notebooks, recycled from notebook to notebook.

Starting a kernel and importing pandas, matplotlib and segkit costs more than
running a branch report, so each report worker keeps one kernel and resets it
between notebooks (:class:`KernelPool`). Papermill runs the notebooks in it
through :class:`RecycledKernelEngine`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from papermill.engines import NBClientEngine, papermill_engines

KERNEL_NAME = "segkit"
START_TIMEOUT = 120
WARM_CODE = "__import__('segkit.report.notebook').report.notebook.warm()"
RESET_CODE = "__import__('segkit.report.notebook').report.notebook.recycle()"
RESET_TIMEOUT = 60
KERNEL_USES = 25
"""Notebooks one kernel runs (reset in between) before a fresh kernel replaces it."""
ENGINE = "segkit"
"""The papermill engine name of :class:`RecycledKernelEngine`."""
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]
"""Batch kernels keep no input history (no shared history database, nothing carried between notebooks)."""


class KernelPool:
    """One warm kernel per worker process, recycled from notebook to notebook.

    The kernel is started with the explicit kernel name and warmed up (the
    report modules imported, silently). After each notebook it is reset with
    :func:`segkit.report.notebook.recycle` -- the user namespace, outputs and
    execution count cleared; warning filters, pandas display options and
    matplotlib settings back to a fresh kernel's -- so the next notebook runs
    exactly as in a fresh kernel (the executed notebooks equal fresh
    executions, which is what an nbval audit re-runs) and sees nothing of the
    previous one. The reset runs while the worker writes the page. After
    ``uses`` notebooks, or when a kernel dies or a reset fails, a fresh kernel
    replaces it.

    Parameters
    ----------
    kernel_name : str
        The Jupyter kernel to start.
    cwd : Path
        Working directory of the kernels (notebooks never rely on it).
    uses : int
        Notebooks one kernel runs before it is replaced.
    """

    def __init__(self, kernel_name: str = KERNEL_NAME, cwd: Path | None = None, uses: int = KERNEL_USES) -> None:
        self.kernel_name = kernel_name
        self.cwd = cwd
        self.uses = uses
        self._km: Any = None
        self._used = 0
        self._reset: tuple[Any, str] | None = None

    def _send(self, code: str) -> tuple[Any, str]:
        kc = self._km.client()
        kc.start_channels()
        return kc, kc.execute(code, silent=True, store_history=False)

    def _wait(self, pending: tuple[Any, str], timeout: float) -> None:
        kc, msg_id = pending
        try:
            deadline = time.monotonic() + timeout
            while True:
                reply = kc.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.01))
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        finally:
            kc.stop_channels()
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel set-up failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")

    def start(self) -> None:
        """Start and warm up a fresh kernel, replacing the current one."""
        from jupyter_client.manager import KernelManager

        self.close()
        self._km = KernelManager(kernel_name=self.kernel_name)
        self._km.start_kernel(cwd=str(self.cwd) if self.cwd else None, env=dict(os.environ),
                              extra_arguments=KERNEL_ARGUMENTS)
        self._wait(self._send(WARM_CODE), START_TIMEOUT)

    def take(self) -> Any:
        """Return the warm kernel's manager, ready for a notebook (started, or reset, as needed)."""
        if self._reset is not None:
            pending, self._reset = self._reset, None
            try:
                self._wait(pending, RESET_TIMEOUT)
            except Exception:  # noqa: BLE001 - a kernel that cannot be reset is replaced
                self.close()
        if self._km is None or self._used >= self.uses or not self._km.is_alive():
            self.start()
        self._used += 1
        return self._km

    def give_back(self, km: Any) -> None:
        """Start resetting the kernel after a notebook (:meth:`take` waits for it)."""
        if km is self._km and km.is_alive():
            self._reset = self._send(RESET_CODE)
        else:
            self.close()

    def close(self) -> None:
        """Shut the kernel down."""
        if self._reset is not None:
            self._reset[0].stop_channels()
            self._reset = None
        if self._km is not None:
            self._km.shutdown_kernel(now=True)
        self._km, self._used = None, 0


_POOL: KernelPool | None = None


def kernel_pool() -> KernelPool:
    """This process's kernel pool (created on first use, shut down at exit)."""
    global _POOL
    if _POOL is None:
        import atexit
        from multiprocessing import util

        from segkit.report.notebook import notebooks_dir

        _POOL = KernelPool(KERNEL_NAME, cwd=notebooks_dir())
        atexit.register(_POOL.close)
        util.Finalize(None, _POOL.close, exitpriority=10)
    return _POOL


def warm_up() -> None:
    """Import the heavy modules and start a warm kernel (once per worker process)."""
    import papermill  # noqa: F401

    from segkit.report import calls, html  # noqa: F401

    html._exporter()
    kernel_pool().start()


class RecycledKernelEngine(NBClientEngine):
    """papermill's nbclient engine for a kernel that outlives the notebook.

    It executes exactly as papermill's default engine, then closes its own
    client's channels (the default engine leaves them open when the kernel
    is not its own, and the next notebook's client would share their identity).
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                 stdout_file: Any = None, stderr_file: Any = None, start_timeout: int = 60,
                                 execution_timeout: int | None = None, **kwargs: Any) -> Any:
        from papermill.clientwrap import PapermillNotebookClient
        from papermill.log import logger

        client = PapermillNotebookClient(nb_man, km=kwargs["km"], kernel_name=kernel_name, timeout=execution_timeout,
                                         startup_timeout=start_timeout, log=logger, log_output=log_output,
                                         stdout_file=stdout_file, stderr_file=stderr_file)
        try:
            return client.execute()
        finally:
            if client.kc is not None:
                client.kc.stop_channels()


papermill_engines.register(ENGINE, RecycledKernelEngine)
