"""The `csdiag` command group: the root of every command, its --debug flag and help."""

from __future__ import annotations

import importlib

import click

from csdiag import __version__
from csdiag.cli.errors import EXIT_CODES_HELP, ReportingGroup
from csdiag.cli.options import color_option, language_option
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


# Every command, by the module that defines it: a command's module is imported when the
# command is run or its help shown, so each pays only for what it uses (listing facts
# never loads the inference engine, --version loads no command at all).
COMMANDS: dict[str, tuple[str, str]] = {
    "compare": ("csdiag.cli.compare", "compare"),
    "completion": ("csdiag.cli.completion", "completion"),
    "diagnose": ("csdiag.cli.diagnose", "diagnose"),
    "explain": ("csdiag.cli.explain", "explain"),
    "facts": ("csdiag.cli.facts", "facts"),
    "interview": ("csdiag.cli.interview", "interview"),
    "merge": ("csdiag.cli.merge", "merge"),
    "plan": ("csdiag.cli.plan", "plan"),
    "rules": ("csdiag.cli.rules", "rules_group"),
    "schema": ("csdiag.cli.facts", "schema"),
    "validate": ("csdiag.cli.validate", "validate"),
}


class CommandsOnDemand(ReportingGroup):
    """The root group: it knows its commands by name, and imports one when asked for it."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, name = COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=CommandsOnDemand, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EXIT_CODES_HELP, help=HELP_CLI)
@click.version_option(__version__, prog_name="csdiag")
@click.option("--debug", is_flag=True, help=N_("Show the traceback of an internal error."))
@language_option
@color_option
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    ctx.obj = {"debug": debug}  # the language was chosen as the command line was read
