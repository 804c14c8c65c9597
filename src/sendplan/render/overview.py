"""The overview page: an SVG timeline drawn here, and the HTML around it (issue 14).

Everything is drawn from the JSON of :meth:`sendplan.overview.Overview.to_json`
and nothing else, so the page and ``--format json`` always agree.  The page is
one self-contained file: inline CSS and SVG, no script, no font or image to
fetch.  It is rendered from ``templates/overview.html.j2`` with the letters'
Jinja environment (sandboxed, undefined variables are errors, the GOV.UK
filters), switched to HTML escaping.

The SVG is built as text here rather than in the template: positions are
arithmetic, and every piece of text in it goes through :func:`_esc`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from markupsafe import Markup, escape

from sendplan import __version__, dates
from sendplan.dates import date_text
from sendplan.words import plural

#: Drawing sizes in SVG user units (the SVG scales to the page's width).
WIDTH = 1120
GUTTER = 168  # lane labels
RIGHT = 44  # room for the last mark's label
ROW = 10  # one row of marks inside a lane
LANE_PAD = 4
HEADER = 76  # stage band, dates, day numbers, survey bar
#: Weeks 1-3 get this many times the width per day of the report period.
DETAIL = 3.0

#: Lane colours: dark enough for text on white (contrast >= 7:1), one per lane.
LANE_COLOURS = {
    "inspectors": "#1d3f6e",
    "partnership": "#00524e",
    "icb": "#4f2a7a",
    "pcf": "#7a1f47",
    "providers": "#5c4300",
}

#: Red/amber/green as colour, symbol and word together (never colour alone).
RAG = {
    "red": ("\u2716", "Overdue"),  # heavy multiplication x
    "amber": ("\u25b2", "Due soon"),  # triangle
    "green": ("\u2714", "On track"),  # check mark
}


def _esc(text: object) -> str:
    return str(escape(str(text)))


def _d(text: str) -> date:
    return date.fromisoformat(text)


def short_day(text: str | None) -> str:
    """``25 Apr`` from an ISO date."""
    return date_text(_d(text), year=False) if text else ""


def day_text(text: str | None) -> str:
    """``Fri 25 Apr 2025`` from an ISO date."""
    return date_text(_d(text), weekday=True) if text else ""


def moment_text(text: str) -> str:
    """``Thu 1 May 2025, 12:00`` from an ISO moment (midnight: the date alone)."""
    return dates.moment_text(datetime.fromisoformat(text), long=False)


def when_text(event: Mapping[str, Any]) -> str:
    """An event's date as the page writes it: a day, a time, a window, or a repeated
    meeting's days (``each on-site day, Mon 12 - Fri 16 May``)."""
    series = event.get("series")
    text = str(series) if series else day_text(event["date"])
    if event.get("end_date") and not series:
        text += f" to {day_text(event['end_date'])}"
    if event.get("time"):
        text += f", {event['time']}"
    return text


# ------------------------------------------------------------------ the scale
@dataclass(frozen=True)
class Scale:
    """Dates to x: weeks 1-3 at :data:`DETAIL` times the report period's width per day.

    Monotone, so marks keep their date order left to right; a day is drawn
    from its start (``x(day)``) to the next day's start.
    """

    start: date
    end: date  # last day drawn (inclusive)
    split: date | None
    left: float
    width: float

    @property
    def _weights(self) -> tuple[float, float]:
        total = (self.end - self.start).days + 1
        if self.split is None:
            return float(total), 0.0
        detailed = (self.split - self.start).days
        return detailed * DETAIL, float(total - detailed)

    def x(self, day: date, fraction: float = 0.0) -> float:
        a, b = self._weights
        unit = self.width / (a + b)
        offset = (day - self.start).days + fraction
        if self.split is None:
            return self.left + offset * unit
        detailed = (self.split - self.start).days
        if offset <= detailed:
            return self.left + offset * unit * DETAIL
        return self.left + detailed * unit * DETAIL + (offset - detailed) * unit

    def day_width(self, day: date) -> float:
        return self.x(day + timedelta(days=1)) - self.x(day)


# ------------------------------------------------------------------ lanes
@dataclass
class _Placed:
    event: Mapping[str, Any]
    x0: float
    x1: float
    x: float
    row: int = 0
    label: str = ""
    #: The label goes left of the mark (near the right edge).
    left: bool = False


def _label(event: Mapping[str, Any], scale: Scale) -> str:
    """The text beside a mark: a milestone's name, its time, or in the report
    period its date."""
    if event["mark"] == "window":
        return ""
    words = [event["label"]] if event.get("label") else []
    if event["time"]:
        words.append(str(event["time"]))
    elif scale.split is not None and _d(event["date"]) >= scale.split:
        words.append(short_day(event["date"]))
    return " ".join(words)


def _place(events: Sequence[Mapping[str, Any]], scale: Scale) -> list[_Placed]:
    """Marks of one lane packed into rows so none overlaps another."""
    rows: list[list[tuple[float, float]]] = []
    placed: list[_Placed] = []
    for event in events:
        day = _d(event["date"])
        label = _label(event, scale)
        if event["mark"] == "window":
            end = _d(event["end_date"])
            x0 = scale.x(day) + 1
            x1 = scale.x(end + timedelta(days=1)) - 1
            candidates = [(x0, x1, x0)]
        else:
            width = scale.day_width(day)
            text = len(label) * 5.2 + 3 if label else 0.0
            if event["time"]:
                h, m = (int(p) for p in str(event["time"]).split(":"))
                centres = [scale.x(day, (h * 60 + m) / (24 * 60))]
            else:
                # Up to three marks side by side inside the day's own width.
                slots = 3 if width >= 18 else 1
                centres = [scale.x(day) + width * (k + 0.5) / slots for k in range(slots)]
            candidates = [(c - 4.5, c + 4.5 + text, c) for c in centres]
            if candidates[-1][1] > WIDTH - 2:  # no room on the right: label on the left
                candidates = [(c - 4.5 - text, c + 4.5, c) for c in centres]
        left = event["mark"] != "window" and candidates[0][2] - candidates[0][0] > 5
        done = False
        for index, row in enumerate(rows):
            for x0, x1, centre in candidates:
                if all(x1 <= a or x0 >= b for a, b in row):
                    row.append((x0, x1))
                    placed.append(_Placed(event, x0, x1, centre, index, label, left))
                    done = True
                    break
            if done:
                break
        if not done:
            x0, x1, centre = candidates[0]
            rows.append([(x0, x1)])
            placed.append(_Placed(event, x0, x1, centre, len(rows) - 1, label, left))
    return placed


# ------------------------------------------------------------------ the SVG
def timeline_svg(data: Mapping[str, Any]) -> str:
    """The timeline as one ``<svg>`` element (title, description, marks with titles)."""
    line = data["timeline"]
    start, end = _d(line["start"]), _d(line["end"])
    split = _d(line["split"]) if line["split"] else None
    scale = Scale(start, end, split, GUTTER, WIDTH - GUTTER - RIGHT)
    lanes = line["lanes"]
    placed = {
        lane["id"]: _place([e for e in line["events"] if lane["id"] in e["lanes"]], scale)
        for lane in lanes
    }
    heights = {
        lane: max(2, 1 + max((p.row for p in marks), default=0)) * ROW + 2 * LANE_PAD
        for lane, marks in placed.items()
    }
    top = HEADER
    lane_top: dict[str, float] = {}
    for lane in lanes:
        lane_top[lane["id"]] = top
        top += heights[lane["id"]]
    bottom = top
    height = bottom + 26
    x_end = scale.x(end + timedelta(days=1))

    out: list[str] = []
    add = out.append
    title = f"Timeline: {data['title']}, {data['local_area']}"
    count = len(line["events"])
    desc = (
        f"{count} dated events from {day_text(line['start'])} to {day_text(line['end'])}, "
        f"drawn left to right in date order in {len(lanes)} lanes by who acts. "
        "Diamonds are deadlines (with their times), circles events, bars windows; "
        "dashed outlines are approximate dates; hatched columns are bank holidays and "
        "closures. Every date is listed with its paragraph under All dates."
    )
    add(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" role="img" class="timeline" '
        'aria-labelledby="timeline-title timeline-desc" data-start="'
        f'{line["start"]}" data-end="{line["end"]}">'
    )
    add(f'<title id="timeline-title">{_esc(title)}</title>')
    add(f'<desc id="timeline-desc">{_esc(desc)}</desc>')
    add(
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f1e3c8"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#b08a3e" stroke-width="2"/></pattern>'
        '<pattern id="approx" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="5" height="5" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#8a8a8a" stroke-width="1.5"/></pattern>'
        "</defs>"
    )
    # Stage bands across the top.
    for index, stage in enumerate(line["stages"]):
        x0 = scale.x(_d(stage["start"]))
        x1 = scale.x(_d(stage["end"]) + timedelta(days=1))
        fill = ("#e8eef7", "#dfe9f3")[index % 2] if stage["id"] != "after" else "#eeeeee"
        add(
            f'<g class="stage" data-stage="{_esc(stage["id"])}">'
            f"<title>{_esc(stage['title'])}: {_esc(day_text(stage['start']))} to "
            f"{_esc(day_text(stage['end']))}</title>"
            f'<rect x="{x0:.1f}" y="2" width="{max(x1 - x0 - 1, 1):.1f}" height="18" '
            f'fill="{fill}" stroke="#5f6b7a" stroke-width="0.5"/>'
            f'<text x="{x0 + 4:.1f}" y="15" class="stage-label">'
            f"{_esc(_fit(stage['short'], x1 - x0 - 8, 6.2))}</text></g>"
        )
    add('<text x="4" y="15" class="gutter">Stage</text>')
    add('<text x="4" y="32" class="gutter">Date</text>')
    add('<text x="4" y="47" class="gutter">Handbook day</text>')
    # Days: weekend and closure shading, date labels, day numbers.
    last_right = -100.0
    for day_info in line["days"]:
        day = _d(day_info["date"])
        x0, w = scale.x(day), scale.day_width(day)
        if day_info["closure"]:
            add(
                f'<g class="closure" data-date="{day_info["date"]}">'
                f"<title>Not a working day: {_esc(day_info['closure'])} "
                f"({_esc(day_text(day_info['date']))})</title>"
                f'<rect x="{x0:.1f}" y="22" width="{w:.1f}" height="{bottom - 22:.0f}" '
                'fill="url(#hatch)"/></g>'
            )
        elif not day_info["working"]:
            add(
                f'<rect class="weekend" x="{x0:.1f}" y="22" width="{w:.1f}" '
                f'height="{bottom - 22:.0f}" fill="#f3f3f3"/>'
            )
        show = (split is None or day < split) and day_info["working"] or day.weekday() == 0
        first = last_right < 0 or day.day == 1 or (split is not None and day >= split)
        text = date_text(day, year=False) if first else str(day.day)
        centre = x0 + w / 2
        half = len(text) * 2.6 + 1
        if show and centre - half >= last_right + 2:
            add(f'<text x="{centre:.1f}" y="32" class="date" text-anchor="middle">{text}</text>')
            last_right = centre + half
        if day_info["day"] is not None:
            add(
                f'<text x="{x0 + w / 2:.1f}" y="47" class="dayno" text-anchor="middle">'
                f"{day_info['day']}</text>"
            )
    if split is not None:
        xs = scale.x(split)
        add(
            f'<line x1="{xs:.1f}" y1="22" x2="{xs:.1f}" y2="{bottom:.0f}" stroke="#5f6b7a" '
            'stroke-width="1" stroke-dasharray="2 2"/>'
        )
    # The survey window.
    survey = line["survey"]
    if survey is not None:
        add('<text x="4" y="64" class="gutter">Surveys</text>')
        x0 = scale.x(_d(survey["start"]), _fraction(survey["start_time"], 0.0))
        x1 = scale.x(_d(survey["end"]), _fraction(survey["end_time"], 1.0))
        add(
            f'<g class="survey" data-start="{survey["start"]}" data-end="{survey["end"]}">'
            f"<title>{_esc(survey['title'])}: {_esc(day_text(survey['start']))} to "
            f"{_esc(day_text(survey['end']))} ({_esc(survey['source'])})</title>"
            f'<rect x="{x0:.1f}" y="55" width="{max(x1 - x0, 2):.1f}" height="12" rx="3" '
            'fill="#cfe3dc" stroke="#00524e"/>'
            f'<text x="{x0 + 4:.1f}" y="64.5" class="bar-label">Surveys open</text></g>'
        )
    # Lanes and their marks.
    for index, lane in enumerate(lanes):
        y = lane_top[lane["id"]]
        h = heights[lane["id"]]
        colour = LANE_COLOURS.get(lane["id"], "#222222")
        if index % 2 == 0:
            add(
                f'<rect x="0" y="{y:.0f}" width="{x_end:.1f}" height="{h:.0f}" '
                'fill="#f7f9fc" fill-opacity="0.6"/>'
            )
        add(
            f'<line x1="0" y1="{y:.0f}" x2="{x_end:.1f}" y2="{y:.0f}" stroke="#c5ccd6" '
            'stroke-width="0.7"/>'
        )
        add(
            f'<text x="4" y="{y + h / 2 + 4:.1f}" class="lane" fill="{colour}">'
            f"{_esc(lane['label'])}</text>"
        )
        for mark in placed[lane["id"]]:
            add(_mark_svg(mark, y + LANE_PAD + mark.row * ROW + ROW / 2, colour, lane["id"]))
    add(f'<line x1="0" y1="{bottom:.0f}" x2="{x_end:.1f}" y2="{bottom:.0f}" stroke="#5f6b7a"/>')
    add(_today_svg(line, scale, bottom))
    add("</svg>")
    return "\n".join(out)


def _fraction(hhmm: str | None, default: float) -> float:
    if not hhmm:
        return default
    h, m = (int(p) for p in hhmm.split(":"))
    return (h * 60 + m) / (24 * 60)


def _fit(text: str, room: float, per_char: float) -> str:
    """``text`` cut to fit ``room`` units (with an ellipsis), for the stage band."""
    most = int(room / per_char)
    if len(text) <= most:
        return text
    return text[: max(most - 1, 1)] + "\u2026" if most > 2 else ""


def _mark_svg(mark: _Placed, cy: float, colour: str, lane: str) -> str:
    event = mark.event
    approx = bool(event["approximate"])
    tooltip = f"{event['title']}: {when_text(event)} ({event['source']})"
    if approx:
        tooltip += "; approximate date"
    if event["recorded"]:
        tooltip += "; date recorded in the case file"
    attrs = (
        f'class="mark mark-{event["mark"]}{" approx" if approx else ""}" '
        f'data-event="{_esc(event["id"])}" data-date="{event["date"]}" data-lane="{lane}" '
        f'data-x="{mark.x:.2f}"'
    )
    dash = ' stroke-dasharray="2.5 1.5"' if approx else ""
    fill = "url(#approx)" if approx else colour
    parts = [f"<g {attrs}><title>{_esc(tooltip)}</title>"]
    if event["mark"] == "window":
        parts.append(
            f'<rect x="{mark.x0:.1f}" y="{cy - 3.5:.1f}" width="{max(mark.x1 - mark.x0, 3):.1f}" '
            f'height="7" rx="3" fill="{fill}" fill-opacity="{0.9 if approx else 0.35}" '
            f'stroke="{colour}" stroke-width="1.2"{dash}/>'
        )
    elif event["mark"] == "deadline":
        x = mark.x
        parts.append(
            f'<path d="M{x:.1f} {cy - 5:.1f} L{x + 5:.1f} {cy:.1f} L{x:.1f} {cy + 5:.1f} '
            f'L{x - 5:.1f} {cy:.1f} Z" fill="{fill}" stroke="{colour}" stroke-width="1.2"{dash}/>'
        )
    else:
        parts.append(
            f'<circle cx="{mark.x:.1f}" cy="{cy:.1f}" r="3.8" fill="{fill}" stroke="{colour}" '
            f'stroke-width="1.2"{dash}/>'
        )
    if mark.label:
        x, anchor = (mark.x - 6.5, "end") if mark.left else (mark.x + 6.5, "start")
        parts.append(
            f'<text x="{x:.1f}" y="{cy + 3.2:.1f}" class="mark-label" text-anchor="{anchor}">'
            f"{_esc(mark.label)}</text>"
        )
    parts.append("</g>")
    return "".join(parts)


def _today_svg(line: Mapping[str, Any], scale: Scale, bottom: float) -> str:
    today = datetime.fromisoformat(line["today"]["moment"])
    position = line["today"]["position"]
    label = f"Today: {moment_text(line['today']['moment'])}"
    if position == "before":
        return (
            f'<text x="{scale.left:.1f}" y="{bottom + 17:.0f}" class="today-label">'
            f"\u2190 {_esc(label)} (before the first date shown)</text>"
        )
    if position == "after":
        x = scale.x(scale.end + timedelta(days=1))
        return (
            f'<text x="{x:.1f}" y="{bottom + 17:.0f}" class="today-label" text-anchor="end">'
            f"{_esc(label)} (after the last date shown) \u2192</text>"
        )
    x = scale.x(today.date(), (today.hour * 60 + today.minute) / (24 * 60))
    anchor = "end" if x > WIDTH * 0.7 else "start"
    dx = -4 if anchor == "end" else 4
    return (
        f'<g class="today" data-moment="{line["today"]["moment"]}"><title>{_esc(label)}</title>'
        f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{bottom + 4:.0f}" stroke="#b00020" '
        'stroke-width="2" stroke-dasharray="6 3"/>'
        f'<text x="{x + dx:.1f}" y="{bottom + 17:.0f}" class="today-label" '
        f'text-anchor="{anchor}">{_esc(label)}</text></g>'
    )


# ------------------------------------------------------------------ the page
def _html_finalize(value: Any) -> Any:
    """Every ``{{ }}``: text as is (autoescape escapes it); a blank is an error."""
    from jinja2 import Undefined

    if isinstance(value, Undefined):
        str(value)  # StrictUndefined: raises, naming the variable
    if isinstance(value, bool) or value is None:
        raise ValueError(f"the overview template prints {value!r}; test it with {{% if %}}")
    return value


def render_overview(data: Mapping[str, Any]) -> str:
    """The whole page, from :meth:`Overview.to_json`'s data."""
    from sendplan.letters.rendering import _environment
    from sendplan.letters.templates import shipped_dir

    env = _environment([shipped_dir()])
    # The letters' environment writes Markdown; this page is HTML.  Its compiled
    # templates are cached under the letters' options, so this page (compiled
    # with others) is compiled afresh each time (about 80 ms).
    env.bytecode_cache = None
    env.autoescape = True
    env.finalize = _html_finalize
    env.trim_blocks = True
    env.filters.update(
        day_text=day_text,
        short_day=short_day,
        moment_text=moment_text,
        when_text=when_text,
        plural=plural,
    )
    template = env.get_template("overview.html.j2")
    text = template.render(
        data=data,
        svg=Markup(timeline_svg(data)),
        rag=RAG,
        lane_colours=LANE_COLOURS,
        version=__version__,
    )
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
