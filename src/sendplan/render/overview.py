"""The overview page: SVG timelines drawn here, and the HTML around them (issues 14, 21).

Everything is drawn from the JSON of :meth:`sendplan.overview.Overview.to_json`
and nothing else, so the page and ``--format json`` always agree.  The page is
one self-contained file: inline CSS and SVG, no script, no font or image to
fetch.  It is rendered from ``templates/overview.html.j2`` with the letters'
Jinja environment (sandboxed, undefined variables are errors, the GOV.UK
filters), switched to HTML escaping.

The timeline is drawn twice, by one function at two sizes (:data:`SCREEN`,
:data:`PRINT`): on screen one drawing of the whole span, wide enough to read
(on a phone it scrolls sideways in its box); on paper one drawing per stage,
as wide as an A4 page's text with its labels at 11 pt or more, each above the
list of that stage's dates.  Every mark carries its number (and a milestone
its name) on the page; the numbered list of dates says what each is, so no
meaning is left to a hover title.  Nothing is cut short: a label that does
not fit goes on another row.

The SVG is built as text here rather than in the template: positions are
arithmetic, and every piece of text in it goes through :func:`_esc`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from markupsafe import Markup, escape

from sendplan import __version__, dates
from sendplan.dates import date_text
from sendplan.words import plural


@dataclass(frozen=True)
class Drawing:
    """One size of the timeline, in SVG user units (= CSS px when drawn at ``width``)."""

    width: float
    #: Label size; the row heights and marks follow from it.
    font: float
    #: Draw the stage bands along the top (the printed drawings are one stage each,
    #: under the stage's heading).
    stages: bool
    #: Widest a character of the labels is, in ems (DejaVu Sans's digits are 0.636;
    #: estimated widths keep labels from touching).
    char: float = 0.64
    #: The dates' and day numbers' size, as a share of ``font``.
    small: float = 0.92

    @property
    def row(self) -> float:
        return self.font + 8

    def text_width(self, text: str, size: float | None = None) -> float:
        return len(text) * (size or self.font) * self.char


#: On screen: about the page's width; on a phone it scrolls inside its box.
SCREEN = Drawing(width=1100, font=13, stages=True)
#: On paper: A4's 180 mm of text (680 CSS px), labels at 15 px = 11.25 pt.
PRINT = Drawing(width=680, font=15, stages=False, small=1.0)
#: Weeks 1-3 get this many times the width per day of the report period (screen).
DETAIL = 3.0
LEFT = 4.0

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
    """Dates to x: days before ``split`` at :data:`DETAIL` times the width per day.

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

    @property
    def right(self) -> float:
        return self.left + self.width


# ------------------------------------------------------------------ packing
@dataclass
class _Rows:
    """Intervals packed into rows, left to right: each row grows rightwards only, so
    the marks of a row keep their date (and number) order."""

    gap: float = 4.0
    rights: list[float] = field(default_factory=list)

    def place(
        self, candidates: Sequence[tuple[float, float, float]], first: int = 0
    ) -> tuple[int, int]:
        """The first row (from ``first``) where a candidate starts after the row's last
        interval: (row, candidate); a new row when none does."""
        for row in range(first, len(self.rights)):
            for index, (x0, x1, _) in enumerate(candidates):
                if x0 >= self.rights[row] + self.gap:
                    self.rights[row] = x1
                    return row, index
        while len(self.rights) < first:
            self.rights.append(-1e9)
        self.rights.append(candidates[0][1])
        return len(self.rights) - 1, 0


@dataclass
class _Placed:
    event: Mapping[str, Any]
    x: float  # the mark's centre (a window: its start)
    x_end: float  # a window's end (else the centre)
    row: int
    label: str
    #: The label goes left of the mark (near the right edge).
    left: bool = False


def mark_label(event: Mapping[str, Any]) -> str:
    """The text beside a mark: its number, and a milestone's short name."""
    label = event.get("label")
    return f"{event['number']} {label}" if label else str(event["number"])


def _place(events: Sequence[Mapping[str, Any]], scale: Scale, drawing: Drawing) -> list[_Placed]:
    """Marks of one lane, each with its label, packed into rows so nothing overlaps."""
    rows = _Rows()
    placed = []
    radius = drawing.font * 0.4
    for event in events:
        label = mark_label(event)
        text = drawing.text_width(label) + 4
        day = max(_d(event["date"]), scale.start)
        if event["mark"] == "window":
            end = min(_d(event["end_date"]), scale.end)
            x0 = scale.x(day) + 1
            x1 = max(scale.x(end + timedelta(days=1)) - 1, x0 + 4)
            right = (x0, x1 + text, x0)
            left = (x0 - text, x1, x0)
            options = [right] if right[1] <= scale.right else [left]
            row, _ = rows.place(options)
            placed.append(_Placed(event, x0, x1, row, label, options[0] is left))
            continue
        width = scale.day_width(day)
        if event["time"]:
            centres = [scale.x(day, _fraction(event["time"], 0.5))]
        else:
            slots = max(1, min(3, int(width // (radius * 2 + text))))
            centres = [scale.x(day) + width * (k + 0.5) / slots for k in range(slots)]
        centres = [min(max(c, scale.left + radius), scale.right - radius) for c in centres]
        options = [(c - radius, c + radius + 2 + text, c) for c in centres]
        on_left = options[-1][1] > scale.right
        if on_left:
            options = [(c - radius - 2 - text, c + radius, c) for c in centres]
        row, index = rows.place(options)
        centre = options[index][2]
        placed.append(_Placed(event, centre, centre, row, label, on_left))
    return placed


# ------------------------------------------------------------------ the SVG
def timeline_svg(
    data: Mapping[str, Any],
    drawing: Drawing = SCREEN,
    *,
    start: date | None = None,
    end: date | None = None,
    ident: str = "timeline",
) -> str:
    """The timeline (or the part from ``start`` to ``end``) as one ``<svg>`` element."""
    line = data["timeline"]
    first, last = _d(line["start"]), _d(line["end"])
    start, end = max(start or first, first), min(end or last, last)
    split = _d(line["split"]) if line["split"] and drawing.stages else None
    if split is not None and not start < split <= end:
        split = None
    scale = Scale(start, end, split, LEFT, drawing.width - 2 * LEFT)
    events = [e for e in line["events"] if _overlaps(e, start, end)]
    lanes = [lane for lane in line["lanes"] if any(lane["id"] in e["lanes"] for e in events)]
    placed = {
        lane["id"]: _place([e for e in events if lane["id"] in e["lanes"]], scale, drawing)
        for lane in lanes
    }
    f, row = drawing.font, drawing.row
    out: list[str] = []
    add = out.append
    y = 2.0
    # Stage bands: labels that fit inside their band on the first row, the others below.
    if drawing.stages:
        y = _stage_rows(add, line["stages"], scale, drawing, y)
    top = y  # the day columns (weekends, closures) start here
    y = _date_rows(add, line["days"], scale, drawing, y, split)
    survey = line["survey"]
    if (
        survey is not None
        and survey["start"] <= end.isoformat()
        and survey["end"] >= start.isoformat()
    ):
        y = _survey_row(add, survey, scale, drawing, y)
    lanes_start = y  # the today line runs down the lanes, clear of the dates
    lane_top: dict[str, float] = {}
    for lane in lanes:
        lane_top[lane["id"]] = y
        rows = 1 + max((p.row for p in placed[lane["id"]]), default=0)
        y += row + rows * row + 4
    bottom = y
    height = bottom + row + 6
    # Columns behind everything: weekends and closures.
    columns = _columns(line["days"], scale, start, end, top, bottom)
    body: list[str] = []
    for index, lane in enumerate(lanes):
        ly = lane_top[lane["id"]]
        colour = LANE_COLOURS.get(lane["id"], "#222222")
        rows = 1 + max((p.row for p in placed[lane["id"]]), default=0)
        h = row + rows * row + 4
        if index % 2 == 0:
            body.append(
                f'<rect x="0" y="{ly:.1f}" width="{drawing.width:.0f}" height="{h:.1f}" '
                'fill="#f3f6fa" fill-opacity="0.7"/>'
            )
        body.append(
            f'<line x1="0" y1="{ly:.1f}" x2="{drawing.width:.0f}" y2="{ly:.1f}" '
            'stroke="#b1b4b6" stroke-width="0.8"/>'
        )
        body.append(
            f'<text x="{LEFT:.0f}" y="{ly + f + 2:.1f}" class="lane" fill="{colour}">'
            f"{_esc(lane['label'])}</text>"
        )
        for mark in placed[lane["id"]]:
            cy = ly + row + mark.row * row + row / 2
            body.append(_mark_svg(mark, cy, colour, lane["id"], drawing))
    title = f"Timeline: {data['title']}, {data['local_area']}"
    if (start, end) != (first, last):
        title += f", {day_text(start.isoformat())} to {day_text(end.isoformat())}"
    desc = (
        f"{len(events)} dated events from {day_text(start.isoformat())} to "
        f"{day_text(end.isoformat())}, left to right in date order, in lanes by who acts. "
        "Each mark carries its number in the list of dates that follows. Diamonds are "
        "deadlines, circles events, bars windows; dashed outlines are approximate dates; "
        "hatched columns are bank holidays and closures."
    )
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {drawing.width:.0f} {height:.0f}" '
        f'width="{drawing.width:.0f}" height="{height:.0f}" role="img" '
        f'class="timeline" aria-labelledby="{ident}-title {ident}-desc" '
        f'data-start="{start.isoformat()}" data-end="{end.isoformat()}" '
        f'style="--font: {f:.0f}px; --small: {f * drawing.small:.1f}px">'
        f'<title id="{ident}-title">{_esc(title)}</title>'
        f'<desc id="{ident}-desc">{_esc(desc)}</desc>'
        '<defs><pattern id="hatch-'
        + ident
        + '" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f1e3c8"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#b08a3e" stroke-width="2"/></pattern>'
        '<pattern id="approx-' + ident + '" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="5" height="5" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#8a8a8a" stroke-width="1.5"/></pattern>'
        "</defs>"
    )
    parts = [head, *columns, *out, *body]
    parts.append(
        f'<line x1="0" y1="{bottom:.1f}" x2="{drawing.width:.0f}" y2="{bottom:.1f}" '
        'stroke="#505a5f"/>'
    )
    parts.append(_today_svg(line, scale, lanes_start, bottom, drawing))
    parts.append("</svg>")
    return (
        "\n".join(parts)
        .replace("url(#hatch)", f"url(#hatch-{ident})")
        .replace("url(#approx)", f"url(#approx-{ident})")
    )


def _overlaps(event: Mapping[str, Any], start: date, end: date) -> bool:
    first = _d(event["date"])
    last = _d(event["end_date"]) if event["end_date"] else first
    return first <= end and last >= start


def _stage_rows(
    add: Any, stages: Sequence[Mapping[str, Any]], scale: Scale, drawing: Drawing, y: float
) -> float:
    spans = []
    for stage in stages:
        x0 = scale.x(max(_d(stage["start"]), scale.start))
        x1 = scale.x(min(_d(stage["end"]), scale.end) + timedelta(days=1))
        if x1 <= x0:
            continue
        width = drawing.text_width(stage["short"]) + 8
        spans.append((stage, x0, x1, width))
    # The labels that fit inside their band on the first row; the others below,
    # each on the first row where it clears the one before.
    placed: dict[str, int] = {}
    rows = _Rows(gap=6)
    for stage, x0, x1, width in spans:
        if width <= x1 - x0:
            placed[stage["id"]] = 0
        else:
            placed[stage["id"]] = rows.place([(x0, x0 + width, x0)], first=1)[0]
    count = 1 + max(placed.values(), default=0)
    band = count * drawing.row
    # The bands first, then every label over them (a label below its band may
    # reach into the next band's width).
    for index, (stage, x0, x1, _) in enumerate(spans):
        fill = ("#e8eef7", "#dde7f2")[index % 2] if stage["id"] != "after" else "#eeeeee"
        add(
            f'<rect class="stage" data-stage="{_esc(stage["id"])}" x="{x0:.1f}" y="{y:.1f}" '
            f'width="{max(x1 - x0 - 1, 1):.1f}" height="{band - 2:.1f}" fill="{fill}" '
            'stroke="#505a5f" stroke-width="0.5"/>'
        )
    for stage, x0, _, _ in spans:
        label_y = y + placed[stage["id"]] * drawing.row + drawing.font + 1
        add(
            f'<text x="{x0 + 4:.1f}" y="{label_y:.1f}" class="stage-label">'
            f"<title>{_esc(stage['title'])}: {_esc(day_text(stage['start']))} to "
            f"{_esc(day_text(stage['end']))}</title>{_esc(stage['short'])}</text>"
        )
    return y + band + 2


def _date_rows(
    add: Any,
    days: Sequence[Mapping[str, Any]],
    scale: Scale,
    drawing: Drawing,
    y: float,
    split: date | None,
) -> float:
    """Dates along the top (a month's name where it starts), then handbook day numbers."""
    size = drawing.font * drawing.small
    date_y, day_y = y + size + 1, y + drawing.row + size + 1
    last_right = -1e9
    day_right = -1e9
    numbered = False
    for info in days:
        day = _d(info["date"])
        if not scale.start <= day <= scale.end:
            continue
        centre = scale.x(day) + scale.day_width(day) / 2
        detailed = split is None or day < split
        show = (detailed and info["working"]) or day.weekday() == 0
        first = last_right < -1e8 or day.day == 1 or not detailed
        text = date_text(day, year=False) if first else str(day.day)
        half = drawing.text_width(text, size) / 2
        centre_at = min(max(centre, scale.left + half), scale.right - half)
        if show and centre_at - half >= last_right + 4:
            add(
                f'<text x="{centre_at:.1f}" y="{date_y:.1f}" class="date" '
                f'text-anchor="middle">{text}</text>'
            )
            last_right = centre_at + half
        if info["day"] is not None:
            numbered = True
            label = str(info["day"])
            half = drawing.text_width(label, size) / 2
            if centre - half >= day_right + 3:
                add(
                    f'<text x="{centre:.1f}" y="{day_y:.1f}" class="dayno" '
                    f'text-anchor="middle">{label}</text>'
                )
                day_right = centre + half
    return y + (2 if numbered else 1) * drawing.row + 2


def _survey_row(
    add: Any, survey: Mapping[str, Any], scale: Scale, drawing: Drawing, y: float
) -> float:
    x0 = scale.x(max(_d(survey["start"]), scale.start), _fraction(survey["start_time"], 0.0))
    x1 = scale.x(min(_d(survey["end"]), scale.end), _fraction(survey["end_time"], 1.0))
    x0, x1 = max(x0, scale.left), min(max(x1, x0 + 2), scale.right)
    label = "Surveys open"
    width = drawing.text_width(label) + 8
    inside = width <= x1 - x0
    label_x = x0 + 4 if inside else (x1 + 4 if x1 + width <= scale.right else x0 - width)
    add(
        f'<g class="survey" data-start="{survey["start"]}" data-end="{survey["end"]}">'
        f"<title>{_esc(survey['title'])}: {_esc(day_text(survey['start']))} to "
        f"{_esc(day_text(survey['end']))} ({_esc(survey['source'])})</title>"
        f'<rect x="{x0:.1f}" y="{y + 2:.1f}" width="{x1 - x0:.1f}" height="{drawing.row - 4:.1f}" '
        'rx="3" fill="#cfe3dc" stroke="#00524e"/>'
        f'<text x="{label_x:.1f}" y="{y + drawing.font + 1:.1f}" class="bar-label">{label}</text>'
        "</g>"
    )
    return y + drawing.row + 2


def _columns(
    days: Sequence[Mapping[str, Any]],
    scale: Scale,
    start: date,
    end: date,
    top: float,
    bottom: float,
) -> list[str]:
    out = []
    for info in days:
        day = _d(info["date"])
        if not start <= day <= end:
            continue
        x0, w = scale.x(day), scale.day_width(day)
        if info["closure"]:
            out.append(
                f'<g class="closure" data-date="{info["date"]}">'
                f"<title>Not a working day: {_esc(info['closure'])} "
                f"({_esc(day_text(info['date']))})</title>"
                f'<rect x="{x0:.1f}" y="{top:.1f}" width="{w:.1f}" height="{bottom - top:.1f}" '
                'fill="url(#hatch)"/></g>'
            )
        elif not info["working"]:
            out.append(
                f'<rect class="weekend" x="{x0:.1f}" y="{top:.1f}" width="{w:.1f}" '
                f'height="{bottom - top:.1f}" fill="#ececec"/>'
            )
    return out


def _fraction(hhmm: str | None, default: float) -> float:
    if not hhmm:
        return default
    h, m = (int(p) for p in hhmm.split(":"))
    return (h * 60 + m) / (24 * 60)


def _mark_svg(mark: _Placed, cy: float, colour: str, lane: str, drawing: Drawing) -> str:
    event = mark.event
    approx = bool(event["approximate"])
    tooltip = f"{event['number']}. {event['title']}: {when_text(event)} ({event['source']})"
    if approx:
        tooltip += "; approximate date"
    if event["recorded"]:
        tooltip += "; date recorded in the case file"
    attrs = (
        f'class="mark mark-{event["mark"]}{" approx" if approx else ""}" '
        f'data-event="{_esc(event["id"])}" data-date="{event["date"]}" data-lane="{lane}" '
        f'data-x="{mark.x:.2f}" data-number="{event["number"]}"'
    )
    dash = ' stroke-dasharray="2.5 1.5"' if approx else ""
    fill = "url(#approx)" if approx else colour
    r = drawing.font * 0.4
    parts = [f"<g {attrs}><title>{_esc(tooltip)}</title>"]
    if event["mark"] == "window":
        parts.append(
            f'<rect x="{mark.x:.1f}" y="{cy - r * 0.8:.1f}" width="{mark.x_end - mark.x:.1f}" '
            f'height="{r * 1.6:.1f}" rx="3" fill="{fill}" fill-opacity="{0.9 if approx else 0.35}" '
            f'stroke="{colour}" stroke-width="1.2"{dash}/>'
        )
        anchor_x = mark.x_end
    elif event["mark"] == "deadline":
        x = mark.x
        parts.append(
            f'<path d="M{x:.1f} {cy - r * 1.2:.1f} L{x + r * 1.2:.1f} {cy:.1f} '
            f'L{x:.1f} {cy + r * 1.2:.1f} L{x - r * 1.2:.1f} {cy:.1f} Z" fill="{fill}" '
            f'stroke="{colour}" stroke-width="1.2"{dash}/>'
        )
        anchor_x = x
    else:
        parts.append(
            f'<circle cx="{mark.x:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{fill}" '
            f'stroke="{colour}" stroke-width="1.2"{dash}/>'
        )
        anchor_x = mark.x
    if mark.left:
        x, anchor = (mark.x if event["mark"] == "window" else anchor_x) - r - 3, "end"
    else:
        x, anchor = anchor_x + (3 if event["mark"] == "window" else r + 3), "start"
    parts.append(
        f'<text x="{x:.1f}" y="{cy + drawing.font * 0.36:.1f}" class="mark-label" '
        f'text-anchor="{anchor}">{_esc(mark.label)}</text>'
    )
    parts.append("</g>")
    return "".join(parts)


def _today_svg(
    line: Mapping[str, Any], scale: Scale, top: float, bottom: float, drawing: Drawing
) -> str:
    today = datetime.fromisoformat(line["today"]["moment"])
    label = f"Today: {moment_text(line['today']['moment'])}"
    y = bottom + drawing.font + 2
    if today.date() < scale.start:
        return (
            f'<text x="{scale.left:.1f}" y="{y:.1f}" class="today-label">'
            f"\u2190 {_esc(label)} (before the first date shown)</text>"
        )
    if today.date() > scale.end:
        return (
            f'<text x="{scale.right:.1f}" y="{y:.1f}" class="today-label" text-anchor="end">'
            f"{_esc(label)} (after the last date shown) \u2192</text>"
        )
    x = scale.x(today.date(), (today.hour * 60 + today.minute) / (24 * 60))
    width = drawing.text_width(label)
    anchor, dx = ("end", -4) if x + 4 + width > scale.right else ("start", 4)
    return (
        f'<g class="today" data-moment="{line["today"]["moment"]}"><title>{_esc(label)}</title>'
        f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom + 4:.1f}" stroke="#b00020" '
        'stroke-width="2" stroke-dasharray="6 3"/>'
        f'<text x="{x + dx:.1f}" y="{y:.1f}" class="today-label" '
        f'text-anchor="{anchor}">{_esc(label)}</text></g>'
    )


# ------------------------------------------------------------------ the printed parts
def stage_groups(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The timeline's events by stage band (a window by its first day), each with
    its printed drawing: the list of dates under the timeline, one stage at a time."""
    line = data["timeline"]
    stages = line["stages"]
    if not stages:
        return []
    # Each event in the last band begun by its date (the first band: anything earlier).
    members: list[list[Mapping[str, Any]]] = [[] for _ in stages]
    for event in line["events"]:
        begun = [i for i, s in enumerate(stages) if s["start"] <= event["date"]]
        members[begun[-1] if begun else 0].append(event)
    groups = []
    for stage, events in zip(stages, members, strict=True):
        if not events:
            continue
        start = min(_d(stage["start"]), *(_d(e["date"]) for e in events))
        end = max(_d(stage["end"]), *(_d(e["date"]) for e in events))
        svg = timeline_svg(data, PRINT, start=start, end=end, ident=f"print-{stage['id']}")
        groups.append({**stage, "events": events, "svg": Markup(svg)})
    return groups


# ------------------------------------------------------------------ the page
def print_footer(data: Mapping[str, Any]) -> tuple[str, str]:
    """The printed page's footer: the case (what and where) and the date it is as of."""
    return f"{data['title']}: {data['local_area']}", f"As of {moment_text(data['today'])}"


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
        svg=Markup(timeline_svg(data)) if data["timeline"] and data["timeline"]["events"] else "",
        # A case without dates has no timeline (issue 23): its readiness instead.
        groups=stage_groups(data) if data["timeline"] else [],
        rag=RAG,
        lane_colours=LANE_COLOURS,
        version=__version__,
    )
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
