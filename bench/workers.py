"""Worker processes end with their parent.

joblib's process workers (loky) outlive a parent killed with SIGKILL: they
keep fitting models nobody will read. The kit starts its local workers with
:func:`watch_parent` as joblib's initializer, given the pid of the process that
started them: as each worker boots, a daemon thread begins to watch that
process and exits the worker as soon as it is gone. Remote Dask workers are the
cluster's to manage.
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
