"""The `csdiag` command group: the root of every command, its --debug flag and help."""

from __future__ import annotations

import click

from csdiag import __version__
from csdiag.cli.errors import EXIT_CODES_HELP, ReportingGroup
from csdiag.cli.options import language_option
from csdiag.i18n import N_

HELP_CLI = N_("""csdiag: find out why customer service is poor.

Rules, each encoding one known cause of poor service, are matched against the
organisational facts in a case file. csdiag reports the causes it diagnosed,
how certain it is, the evidence, what it could not assess and the remedies.

\b
Examples:
  csdiag diagnose cases/northwind-telecom.yaml
  csdiag diagnose cases/ --format json
  csdiag rules list
  csdiag facts""")


@click.group(cls=ReportingGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EXIT_CODES_HELP, help=HELP_CLI)
@click.version_option(__version__, prog_name="csdiag")
@click.option("--debug", is_flag=True, help=N_("Show the traceback of an internal error."))
@language_option
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    ctx.obj = {"debug": debug}  # the language was chosen as the command line was read
