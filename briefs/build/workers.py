"""Worker processes that end with their build, however the build ends.

A `build --jobs N` killed with SIGKILL, or with a scheduler's SIGTERM, runs no clean-up: its
workers would go on drawing for ever, adopted by init, about 115 MB each. `end_with_parent`
is the pool's initializer: on Linux the kernel kills the worker when the process that started
it dies (PR_SET_PDEATHSIG); everywhere, a thread also watches the parent's pid.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # prctl option, from <linux/prctl.h>
POLL = 0.5  # seconds between two looks at the parent, where the kernel cannot help


def end_with_parent(parent: int) -> None:
    """Run in each worker as it starts: end it when process `parent` ends."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(POLL)
        os._exit(1)

    if os.getppid() != parent:  # it died before the line above could take effect
        os._exit(1)
    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
