"""Command line: the same services as the window, for scripts and headless machines."""

from __future__ import annotations

import sys

TEMPLATE_EXTENSION = ".o365template"  # core.template.EXTENSION, without importing it


def main(argv: list[str] | None = None) -> int:
    """Run a command, or the window when none is given; return the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if argv in ([], ["--smoke"]):
        # Opening the window is the common case: building the parser (argparse and every
        # command's modules and options) would cost ~5 ms before the window can paint.
        from o365desk.app import run_gui

        return run_gui([sys.argv[0]], smoke=bool(argv))
    if len(argv) == 1 and argv[0].lower().endswith(TEMPLATE_EXTENSION):
        # A template file opened with o365desk (its desktop entry's MIME type): the window,
        # its preview, then the wizard.
        from pathlib import Path

        from o365desk.app import run_gui

        return run_gui([sys.argv[0]], template=Path(argv[0]))
    from o365desk.cli.parser import build_parser

    for stream in (sys.stdout, sys.stderr):
        # A console or pipe that can't show a character (a nickname in another script on
        # a Windows code page) gets an escape instead of failing after the work is done.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    from o365desk.cli.streams import visible_streams

    with visible_streams():  # what was typed, quoted back in an error, is never raw
        args = build_parser().parse_args(argv)
        if args.command is None:
            from o365desk.app import run_gui

            return run_gui([sys.argv[0]], smoke=args.smoke)
        if sys.stdout is None:
            return _stdout_closed()
        try:
            _log_to_file()
            from o365desk.cli.commands import run

            return run(args)
        except KeyboardInterrupt:
            return _interrupted()


def _interrupted() -> int:
    """Ctrl+C (or SIGINT from a script): a plain line and the shell's usual exit code, no
    traceback. A keychain write in progress was finished first (core/held_signals.py), so
    what is saved is whole: the sign-in before, or the new one."""
    if sys.stderr is not None:
        print("\no365desk: stopped (Ctrl+C). Anything already saved is kept; run the command "
              "again to finish.", file=sys.stderr)
    return 130


def _stdout_closed() -> int:
    """Standard output was closed (`o365desk token NICK >&-`): the answer would be lost."""
    if sys.stderr is not None:
        print("o365desk: standard output is closed, so there is nowhere to write the "
              "answer; nothing was done. Run the command again with its output going to "
              "the terminal, a file or a pipe.", file=sys.stderr)
    return 1


def _log_to_file() -> None:
    """Log records go to the app's log file, redacted, as the window's do; never raw onto
    the terminal beside the command's own plain messages."""
    import logging

    # A record that can't be written (a log rotation another process blocks, on Windows)
    # is dropped, not printed with a traceback among the command's messages.
    logging.raiseExceptions = False
    try:
        from o365desk.auth.redact import setup_logging

        setup_logging()
    except OSError:  # no writable data folder: the command still runs, unlogged
        logging.getLogger().addHandler(logging.NullHandler())
