"""The renderers: core results turned into Rich renderables, Markdown, CSV,
workbooks, HTML and JSON.

Only this package and :mod:`sendplan.cli` import Rich and Typer (a contract in
``pyproject.toml`` that CI checks). Each module renders one concept:
``schedule``, ``checklist``, ``tracking``, ``timetable``, ``history``,
``overview``; ``tables``, ``spreadsheets`` and ``progress`` are the shared
machinery; ``flags`` is the command line's words for the core's parameters.
Neutral text helpers that the core may use too live in :mod:`sendplan.text`.
"""
