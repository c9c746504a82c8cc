"""Command line: one click command per module, no logic. May import everything below it."""

from weiquan.cli.main import main

__all__ = ["main"]
