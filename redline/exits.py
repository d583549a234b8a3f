"""Exit codes of the ``redline`` command, one per way a command can end."""

CLEAN = 0
"""The task finished and its accepted report has no error-level finding (``check``: no error)."""
ERRORS = 1
"""The task finished, but the accepted report still has error-level findings (``check``: errors)."""
USAGE = 2
"""Bad usage or input, refused before anything started: a mistyped option, a missing folder or request."""
FAILED = 3
"""The task failed at a stage (``task.failed``); the last line says where and why."""
TIMED_OUT = 4
"""No sign of life within ``--timeout``; what was finished is saved in the output folder."""
INTERRUPTED = 130
"""Stopped by SIGINT (Ctrl-C) or SIGTERM; the embedded servers it started were stopped with it."""
