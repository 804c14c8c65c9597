"""``sendplan.history`` loads its submodules on first use (PEP 562, issue 24): its
table of names must name every exported name, each in the module that defines it."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import sendplan.history as history


def test_every_exported_name_is_in_the_table_and_resolves_to_its_module() -> None:
    assert set(history.__all__) == set(history._WHERE)
    for name, module in history._WHERE.items():
        assert getattr(history, name) is getattr(importlib.import_module(module), name), name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        history.no_such_name  # noqa: B018 - the access is the test


def test_the_schedule_s_names_do_not_load_the_next_steps() -> None:
    probe = (
        "import sys\n"
        "from sendplan.history import annotate_schedule, load_record_view\n"
        "print(sorted(m for m in sys.modules if m.startswith('sendplan.history.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "sendplan.history.following" not in done.stdout
    assert "sendplan.history.annotation" in done.stdout
