"""One exception type whose message is the whole story, printed on one line by the CLI."""


class CscError(Exception):
    """A problem the user can fix: bad input file, unknown parameter, failed fetch."""

    exit_code = 1

    def __str__(self) -> str:
        return " ".join(str(self.args[0]).split()) if self.args else ""


class UsageError(CscError):
    """An unknown measure, area, period or parameter value (exit 2, like argparse)."""

    exit_code = 2
