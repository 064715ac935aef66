"""The console entry point, kept light: Ctrl-C while csdiag is still loading (or while
click is still reading the command line) ends as 'Stopped.' with exit 130, as it does
at any later moment, never as a traceback."""

from __future__ import annotations

import sys

INTERRUPTED = 130  # the shell's code for Ctrl-C


def main() -> None:
    try:
        from csdiag.cli import main as run

        run()
    except KeyboardInterrupt:
        sys.stderr.write("\nStopped.\n")
        sys.exit(INTERRUPTED)
