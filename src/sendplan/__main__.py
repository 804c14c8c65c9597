"""``python -m sendplan`` and the ``sendplan`` console script.

Start-up (the imports, Typer building the command) allocates thousands of
objects that live until the process ends, and the cyclic garbage collector
would walk them again and again: about a sixth of the CPU time of
``sendplan schedule --format json`` (``benchmarks/startup.py``).  The
collector is paused here; the command resumes it once those objects are
frozen (``gc.freeze``), so what the command itself allocates is collected as
usual (:func:`sendplan.cli.base.resume_collection`).
"""

import gc


def main() -> None:
    gc.disable()
    from sendplan.cli import base
    from sendplan.cli import main as cli_main

    base.collection_paused = True
    cli_main()


if __name__ == "__main__":
    main()
