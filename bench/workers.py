"""Worker processes end with their parent.

joblib's process workers (loky) outlive a parent killed with SIGKILL: they
keep fitting models nobody will read. Every unit of work the kit sends to a
local worker carries the pid of the process that sent it; :func:`watch_parent`
starts (once per worker) a daemon thread that exits the worker as soon as that
process is gone. Work sent to a Dask cluster carries no pid: remote workers are
the cluster's to manage.
"""

import os
import threading
import time

_WATCHED: int | None = None


def watch_parent(parent_pid: int | None, interval: float = 0.5):
    """Exit this process when ``parent_pid`` is gone; no-op in that process itself or for None."""
    global _WATCHED
    if parent_pid is None or parent_pid == os.getpid() or _WATCHED == parent_pid:
        return
    _WATCHED = parent_pid

    def watch():
        while True:
            time.sleep(interval)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass

    threading.Thread(target=watch, name="readout-bench-parent-watch", daemon=True).start()
