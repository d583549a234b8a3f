"""The command line's argument parser: errors show the command's own usage and a "did you mean"."""

from __future__ import annotations

import argparse
import difflib
import importlib.metadata
import re
import sys

from redline import exits

INVALID_CHOICE = re.compile(r"invalid choice: '([^']*)'")


def version() -> str:
    """The installed redline's version ('unknown' when it is not installed)."""
    try:
        return importlib.metadata.version("redline")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def suggestion(word: str, candidates: list[str]) -> str:
    """'; did you mean X?' for the closest candidate to ``word``, else ''."""
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors exit with ``exits.USAGE`` and suggest the closest name:
    an unknown option is reported by the (sub)command it was given to, with that command's usage."""

    commands: argparse._SubParsersAction | None = None

    def option_strings(self) -> list[str]:
        return [option for action in self._actions for option in action.option_strings]

    def parse_args(self, args=None, namespace=None):
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = self.commands.choices.get(getattr(parsed, "command", "")) if self.commands else None
            owner = command or self
            unknown = next((e for e in extras if e.startswith("-")), extras[0])
            owner.error(
                f"unrecognized arguments: {' '.join(extras)}"
                + suggestion(unknown.split("=")[0], owner.option_strings())
            )
        return parsed

    def error(self, message: str):
        choice = INVALID_CHOICE.search(message)
        if choice and self.commands is not None:
            message += suggestion(choice.group(1), list(self.commands.choices))
        self.print_usage(sys.stderr)
        self.exit(exits.USAGE, f"{self.prog}: error: {message}\n")


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """``--verbose`` and ``--log-file``: where structured logs go (nowhere by default)."""
    parser.add_argument("--verbose", "-v", action="store_true", help="structured log lines on stderr")
    parser.add_argument("--log-file", help="append structured log lines to this file")
