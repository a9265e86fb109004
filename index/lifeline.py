"""Helper processes end with the process that started them, however it ends.

The recognition workers and the reader's indexing process outlived a SIGKILLed parent:
twelve kills of `dossier index` left 24 processes (about 150 MB each) running. A child calls
`die_with_parent()` first thing: on Linux the kernel then kills it when its parent dies
(PR_SET_PDEATHSIG); everywhere, a watcher thread ends it when its parent is no longer the
one that started it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1
WATCH_INTERVAL = 1.0  # seconds between checks of the parent, where the kernel cannot do it


def die_with_parent(parent_pid: int | None = None) -> None:
    """End this process when `parent_pid` (default: the current parent) is gone."""
    parent = parent_pid or os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watcher below still works
    if os.getppid() != parent:  # it died before the kernel was told: nothing would signal us
        os._exit(1)

    def watch() -> None:
        event = threading.Event()
        while not event.wait(WATCH_INTERVAL):
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="dossier-lifeline", daemon=True).start()
