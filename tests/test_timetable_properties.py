"""Property test: whatever one person cannot do, `sendplan timetable` either gives a sound
timetable or explains why not (exit 1), and never anything else (issue 12)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_timetable import FULLER, assert_sound, run

PEOPLE = ["lead_inspector", "cqc_inspector", "dcs", "lano", "icb_representative",
          "pcf_contact", "Ellis Grant", "Hillcrest Academy", "Harry Byrne"]  # fmt: skip
DAYS = [date(2025, 5, 2) + timedelta(days=n) for n in range(15)]
TIMES = [f"{h:02d}:{m:02d}" for h in range(8, 18) for m in (0, 30)]


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    who=st.sampled_from(PEOPLE),
    day=st.sampled_from(DAYS),
    span=st.one_of(st.none(), st.tuples(st.sampled_from(TIMES), st.sampled_from(TIMES))),
)
def test_one_more_unavailability_gives_a_sound_timetable_or_an_explanation(
    tmp_path_factory: object, who: str, day: date, span: tuple[str, str] | None
) -> None:
    folder = Path(str(tmp_path_factory.mktemp("prop")))  # type: ignore[attr-defined]
    entry = f'\n[[timetable.unavailable]]\nwho = "{who}"\ndate = {day.isoformat()}\n'
    if span is not None:
        low, high = sorted(span)
        if low == high:
            return
        entry += f'from = "{low}"\nto = "{high}"\n'
    case = folder / "case.toml"
    case.write_text(FULLER.read_text() + entry)
    code, out, err = run(str(case), "--format", "json")
    data = json.loads(out)
    if code == 0:
        assert_sound(data, case)
    else:
        assert code == 1 and data["conflict"] and not data["complete"], err
        assert data["unplaced"]
        assert_sound(data, case, complete=False)  # what is placed still holds
        assert "cannot place every session" in err
