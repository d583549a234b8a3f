"""How ``redline run`` shows its progress: one line per step with the seconds it took.

On a terminal the lines are coloured (rich) and a live status line below them shows which service
is working and for how long; when the output is piped or redirected the same lines are written
plain, with no colour codes and no status line.
"""

from __future__ import annotations

import time
from typing import TextIO

from rich.console import Console
from rich.text import Text

STYLES = (("FAILED", "bold red"), ("accept", "green"), ("errors", "yellow"))


class Working:
    """The live status line: the service last heard from and the seconds since the last step."""

    def __init__(self) -> None:
        self.since = time.monotonic()
        self.service = ""

    def __rich__(self) -> Text:
        who = f"{self.service} working" if self.service else "waiting for the next step"
        return Text(f"{who} · {time.monotonic() - self.since:.0f} s", style="dim")


class Display:
    """Progress lines on ``stream``: rich with a live status line on a terminal, plain otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.rich = stream.isatty()
        self.working = Working()
        self.status = None
        if self.rich:
            self.console = Console(file=stream, highlight=False)
            self.status = self.console.status(self.working)
            self.status.start()

    def line(self, text: str) -> None:
        """One line as it is."""
        if self.rich:
            self.console.print(Text(text), soft_wrap=True)
        else:
            print(text, file=self.stream, flush=True)

    def event(self, text: str) -> None:
        """One step of the task, indented, coloured by how it went on a terminal."""
        self.working.since, self.working.service = time.monotonic(), ""
        if not self.rich:
            self.line(f"  {text}")
            return
        style = next((style for word, style in STYLES if word in text), "")
        self.console.print(Text(f"  {text}", style=style), soft_wrap=True)

    def alive(self, service: str) -> None:
        """A sign of life from ``service``: the status line names it."""
        self.working.service = service

    def close(self) -> None:
        """Stop the live status line."""
        if self.status is not None:
            self.status.stop()
            self.status = None
