"""Child processes that die with the process that started them.

``spawn`` starts a server (the embedded model, nats-server) so that it cannot outlive redline: on
Linux the child asks the kernel for SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``, set
between fork and exec, kept across exec), so even a ``kill -9`` of ``redline run`` takes its servers
with it. The signal follows the thread that started the child; redline starts its servers from the
event loop's thread, which lives as long as the process. A parent that died before the request took
effect is noticed in the child, which then exits at once. Elsewhere the child is started plainly and
is stopped by the normal shutdown path only.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from typing import Any

PR_SET_PDEATHSIG = 1


def death_signal_setter(parent: int) -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child receive SIGKILL when ``parent`` dies (None off Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before fork: the child only calls it

    def die_with_parent() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return die_with_parent


def spawn(command: list[str], **popen: Any) -> subprocess.Popen[bytes]:
    """``subprocess.Popen(command, **popen)`` whose process is killed when this process dies."""
    process: subprocess.Popen[bytes] = subprocess.Popen(command, preexec_fn=death_signal_setter(os.getpid()), **popen)
    return process
