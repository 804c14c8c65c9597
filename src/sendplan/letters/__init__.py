"""Letters and notices rendered from Markdown Jinja templates (issue 6).

Every letter of an inspection is a template in ``templates/`` (shipped in the
wheel as ``sendplan/templates``) filled from the case file and the computed
schedule, so a date can never be right in one letter and wrong in another.

* Each template starts with a Jinja comment holding TOML *front matter*: the
  inspection ``kinds`` it applies to, a one-line ``purpose``, and ``each``
  (``case``: one letter; ``child``: one per child selected for tracking,
  para 93; ``provider``: one per ``[[providers]]`` entry, para 114).  Being a
  comment, it never reaches the output and keeps template line numbers true.
* A user's folder (``--templates DIR`` or ``[letters] templates`` in the case
  file) is searched before the shipped one: the same name overrides, a new
  name adds.  Templates whose names start with ``_`` are shared pieces.
* Templates may come from anywhere, so Jinja runs sandboxed, and with
  undefined variables as errors: a letter must never go out with a blank
  where a date should be.  Every error names the template and its line.
* Every value printed with ``{{ }}`` is escaped for Markdown (case text could
  hold ``*``, ``_`` or ``|``); dates print the GOV.UK way.

Nothing here prints or reads the clock.
"""

from __future__ import annotations

from sendplan.errors import LetterError, MissingCaseData
from sendplan.letters.context import (
    CaseView,
    Child,
    Events,
    People,
    PersonView,
    build_context,
)
from sendplan.letters.formatting import (
    Markdown,
    govuk_date,
    govuk_day,
    govuk_span,
    govuk_time,
    govuk_when,
    join_and,
    md_text,
)
from sendplan.letters.rendering import (
    combine,
    letter_json,
    render_all,
    render_letter,
    template_json,
    write_letters,
)
from sendplan.letters.templates import (
    EACH,
    SUFFIX,
    Letter,
    LetterTemplate,
    available,
    discover,
    find_template,
    shipped_dir,
    template_dirs,
)

__all__ = [
    "SUFFIX",
    "EACH",
    "LetterError",
    "MissingCaseData",
    "LetterTemplate",
    "Letter",
    "shipped_dir",
    "template_dirs",
    "discover",
    "available",
    "find_template",
    "govuk_date",
    "govuk_day",
    "govuk_time",
    "govuk_when",
    "govuk_span",
    "join_and",
    "Markdown",
    "md_text",
    "PersonView",
    "People",
    "Events",
    "Child",
    "CaseView",
    "build_context",
    "render_letter",
    "render_all",
    "combine",
    "write_letters",
    "letter_json",
    "template_json",
]
