"""`csdiag completion`: the shell script that completes commands, options and paths."""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from csdiag.cli.help import LocalisedCommand
from csdiag.cli.options import echo
from csdiag.i18n import N_

HELP_COMPLETION = N_("""Print the script that makes your shell complete csdiag's commands.

\b
Examples (add the line to your shell's start-up file):
  eval "$(csdiag completion bash)"          # ~/.bashrc
  eval "$(csdiag completion zsh)"           # ~/.zshrc
  csdiag completion fish | source           # ~/.config/fish/config.fish""")


@click.command(cls=LocalisedCommand, help=HELP_COMPLETION)
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    from csdiag.cli.app import cli  # the whole command tree, as the shell will see it

    script = get_completion_class(shell)
    assert script is not None  # click ships all three
    echo(script(cli, {}, "csdiag", "_CSDIAG_COMPLETE").source())
