"""``sendplan NAME`` imports only NAME's module: the registry must name each command's
module truly, or a command would be missing when run alone (issue 24)."""

from __future__ import annotations

import subprocess
import sys

from sendplan.cli import app
from sendplan.cli.commands import COMMANDS, WORKFLOW, command_name


def test_every_registered_command_is_in_the_registry_with_its_module() -> None:
    declared = {command_name(c): c.callback.__module__ for c in app.registered_commands}
    for group in app.registered_groups:
        assert group.name is not None and group.typer_instance is not None
        declared[group.name] = group.typer_instance.registered_commands[0].callback.__module__
    assert set(declared) == set(COMMANDS)
    for name, module in declared.items():
        assert module == f"sendplan.cli.commands.{COMMANDS[name]}", name


def test_help_lists_the_commands_in_the_order_of_the_work() -> None:
    names = [command_name(c) for c in app.registered_commands]
    assert names == [n for n in WORKFLOW if n in names]


def test_running_one_command_imports_only_its_module() -> None:
    probe = (
        "import sys\n"
        "from sendplan.__main__ import main\n"
        "sys.argv = ['sendplan', 'schema']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('sendplan.cli.commands.')),"
        " file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "['sendplan.cli.commands.casefile']"
