"""sendplan: plan and track one area SEND inspection.

The package is a library first; the ``sendplan`` command is a thin layer over it.

>>> from sendplan.case import load_case
>>> from sendplan.schedule import build_schedule
>>> case = load_case("examples/full-inspection.toml")      # doctest: +SKIP
>>> schedule = build_schedule(case)                        # doctest: +SKIP
>>> schedule.event("publication_due").date                 # doctest: +SKIP

Modules: ``calendar`` (working days), ``rules`` (the guidance's deadlines as
data), ``case`` (the TOML case file), ``schedule`` (dates for one case),
``errors`` (the error hierarchy and exit codes).  Nothing below ``cli`` prints
or reads the clock.
"""

__version__ = "0.1.0"
