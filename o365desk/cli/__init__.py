"""Command line: the same services as the window, for scripts and headless machines."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run a command, or the window when none is given; return the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if argv in ([], ["--smoke"]):
        # Opening the window is the common case: building the parser (argparse and every
        # command's modules and options) would cost ~5 ms before the window can paint.
        from o365desk.app import run_gui

        return run_gui([sys.argv[0]], smoke=bool(argv))
    from o365desk.cli.parser import build_parser

    args = build_parser().parse_args(argv)
    if args.command is None:
        from o365desk.app import run_gui

        return run_gui([sys.argv[0]], smoke=args.smoke)
    from o365desk.cli.commands import run

    return run(args)
