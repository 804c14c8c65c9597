"""Every command's help (issue 25): ``-h``, an Examples section, allowed values shown
(never ``<str>`` where the values are fixed) and offered by completion, and the
command list in workflow order with whole summaries.

The commands are read from the Typer app, so a command added later is held to
the same rules without anyone adding it here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer.main

from cli_harness import run_cli
from sendplan.cli import app
from sendplan.cli.commands import WORKFLOW


def _walk(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, Any]]:
    out = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            out += _walk(command, prefix + (name,))
        else:
            out.append((" ".join(prefix + (name,)), command))
    return out


COMMANDS = dict(_walk(typer.main.get_command(app)))


def _help(name: str, flag: str = "--help") -> str:
    result = run_cli(*name.split(), flag)
    assert result.code == 0, result.stderr
    return result.stdout


def _fixed_values(name: str, param: Any) -> list[str]:
    """What completion offers for ``param`` with no case file: fixed values, or none."""
    command = COMMANDS[name]
    context = command.make_context(name, [], resilient_parsing=True)
    try:
        return [c.value for c in param.shell_complete(context, "")]
    except Exception:  # a completion that needs a case
        return []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_examples(name: str) -> None:
    text = _help(name)
    assert "Examples:" in text, f"`sendplan {name} --help` has no Examples section"
    examples = text.split("Examples:", 1)[1]
    lines = [line.strip() for line in examples.splitlines() if line.strip()]
    assert any(line.startswith(f"sendplan {name}") for line in lines), examples


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_h_is_help(name: str) -> None:
    assert _help(name, "-h") == _help(name)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_fixed_values_are_shown_never_str(name: str) -> None:
    text = _help(name)
    for param in COMMANDS[name].params:
        values = _fixed_values(name, param)
        if not values or param.param_type_name != "option":
            continue
        line = next(
            (
                line
                for line in text.splitlines()
                if re.search(rf"{re.escape(param.opts[0])}\b", line)
            ),
            "",
        )
        assert "<str>" not in line, f"sendplan {name} {param.opts[0]} shows <str>: {line}"
        if str(param.metavar or "").startswith("["):
            assert param.metavar == "[" + "|".join(values) + "]", (name, param.opts)


def test_the_check_can_fail() -> None:
    """Without its values, --kind would read <str>: the check above sees the option."""
    (kind,) = [p for p in COMMANDS["init"].params if p.name == "kind"]
    assert _fixed_values("init", kind) == ["full", "monitoring", "revisit", "engagement"]
    assert "--kind [full|monitoring|revisit|engagement]" in _help("init")
    assert "<str>" in _help("init")  # free text (--local-area) may still say so


@pytest.mark.parametrize(
    ("name", "option", "values"),
    [
        ("init", "kind", ["full", "monitoring", "revisit", "engagement"]),
        ("mark", "status", ["not-started", "in-progress", "done", "n/a"]),
        ("checklist", "status", ["not-started", "in-progress", "done", "n/a"]),
        ("schedule", "format", ["table", "json", "markdown", "csv", "xlsx"]),
    ],
)
def test_completion_offers_the_allowed_values(name: str, option: str, values: list[str]) -> None:
    (param,) = [p for p in COMMANDS[name].params if p.name == option]
    assert _fixed_values(name, param) == values


def test_the_command_list_is_in_workflow_order_with_whole_summaries() -> None:
    text = _help("")
    listed = text.split("Commands:", 1)[1]
    names = re.findall(r"^  (\S+)", listed, re.M)
    assert names[: len(WORKFLOW)] == list(WORKFLOW)
    assert "..." not in listed
    assert "Check a case file and report every problem at once (exit 0 valid," in listed


def test_every_command_says_quiet_and_case_default() -> None:
    for name, command in COMMANDS.items():
        opts = {o for p in command.params for o in getattr(p, "opts", [])}
        assert "-q" in opts, name
        if any(p.name == "case_file" and not getattr(p, "opts", [None])[0] for p in command.params):
            assert "SENDPLAN_CASE" in _help(name), name
