"""``sendplan timetable``: the sessions of weeks 2 and 3, placed by a constraint solver.

* :mod:`.settings` declares the case file's ``[timetable]`` (imported by
  ``sendplan.case``, so it stays light);
* :mod:`.activities` reads the activities the guidance gives, per kind, from
  ``sendplan/data/timetable/<kind>.toml`` (each citing its paragraph);
* :mod:`.model` turns a case and its schedule into sessions to place;
* :mod:`.solver` places them, with
  :mod:`.cpsat` (the OR-Tools CP-SAT model, ortools imported only there) and
  :mod:`.explain` (a minimal conflict, in words), giving :mod:`.results`;
* :mod:`.replan` re-plans from a saved timetable (what must move, what changed,
  who must be told);
* :mod:`.saved` reads and writes the saved timetable (TOML);
* :mod:`.checks` checks a timetable against the case (``--check``).

Nothing here reads the clock or prints.
"""
