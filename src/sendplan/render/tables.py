"""Tables that fit the terminal they are printed in: the one column-priority helper.

Every table sendplan prints goes through :class:`FitTable`.  Its widths are
decided here, at render time, from the width the console offers, never by
Rich's own squeezing (which cuts words with an ellipsis):

* a column that identifies a row (``key``: an id, an owner, who acts, the
  paragraph) is never cut.  An unbreakable one (``wrap=False``: ids, dates)
  keeps its longest cell on one line; a wrapping one keeps its longest word
  whole;
* free text wraps at word boundaries;
* when even the narrowest layout does not fit, the least useful columns go
  first (``drop``: the higher, the sooner), never a ``key`` column;
* on a terminal the table fills the width; piped or written to a file it is
  as wide as its content needs.

No cell is ever cut with ``…``: every column folds a word it cannot hold
rather than truncate it, the last resort of a terminal narrower than the ids.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sendplan.namedtuples import NamedTuple

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement


#: The width free text is given before identifying columns are spared wrapping.
COMFORTABLE = 50


class Col(NamedTuple):
    """How one column behaves at narrow widths."""

    header: str
    #: Identifies the row (an id, an owner, who acts, the paragraph): never dropped.
    key: bool = False
    #: Free text that may wrap at spaces; ``False`` keeps each cell line whole.
    wrap: bool = True
    #: Dropped at narrow widths, highest first; 0 never.
    drop: int = 0
    #: Share of spare width: of what wrapped text still needs, and on a terminal of the
    #: rest (0: the column takes only what its content needs).
    ratio: int = 0
    #: The narrowest a wrapping column is made while others can still be dropped.
    min_width: int = 0
    #: Where an unbreakable cell may go onto a second line when space is short
    #: (``" to "``: ``9 Mar 2020 to`` over ``12 Mar 2020``).
    break_at: str | None = None
    justify: str = "left"


class Row(NamedTuple):
    cells: tuple[Any, ...]
    style: str | None = None


def _plain(cell: Any) -> str:
    return cell if isinstance(cell, str) else str(getattr(cell, "plain", cell))


def _width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


class FitTable:
    """A Rich renderable: a titled table whose columns are chosen to fit."""

    def __init__(
        self, columns: Sequence[Col], title: str | None = None, *, grid: bool = False
    ) -> None:
        self.columns = list(columns)
        self.title = title
        #: A borderless grid without headers (a dashboard's lines), two spaces apart.
        self.grid = grid
        self.rows: list[Row] = []

    def add_row(self, *cells: Any, style: str | None = None) -> None:
        self.rows.append(Row(tuple(cells), style))

    # ------------------------------------------------------------------ measuring
    def _cells(self, index: int) -> Iterator[str]:
        if not self.grid:
            yield self.columns[index].header
        for row in self.rows:
            yield _plain(row.cells[index])

    def natural(self, index: int) -> int:
        """The width the column's longest line needs."""
        lines = (line for cell in self._cells(index) for line in cell.split("\n"))
        return max((_width(line) for line in lines), default=0)

    def narrowest(self, index: int) -> int:
        """The narrowest the column can be without cutting a word (or a line)."""
        column = self.columns[index]
        if not column.wrap and column.break_at:
            lines = (line for cell in self._cells(index) for line in _broken(cell, column))
            return max((_width(line) for line in lines), default=0)
        if not column.wrap:
            return self.natural(index)
        longest = max((_width(w) for cell in self._cells(index) for w in cell.split()), default=1)
        return min(max(longest, column.min_width), self.natural(index))

    def overhead(self, count: int) -> int:
        """A grid: two spaces between columns.  A table: padding of one space each
        side of every column, an edge each side and a rule's gap between columns."""
        return 2 * (count - 1) if self.grid else 3 * count + 1

    def layout(self, width: int, expand: bool) -> tuple[list[int], list[int]]:
        """(kept column indexes, their widths) for a console ``width`` wide."""
        kept = list(range(len(self.columns)))
        mins = {i: self.narrowest(i) for i in kept}

        def needed() -> int:
            return sum(mins[i] for i in kept) + self.overhead(len(kept))

        # An empty column (no owner recorded for any item) goes first, then by ``drop``.
        empty = [i for i in kept if not any(_plain(row.cells[i]).strip() for row in self.rows)]
        droppable = empty + sorted(
            (
                i
                for i in kept
                if self.columns[i].drop and not self.columns[i].key and i not in empty
            ),
            key=lambda i: (-self.columns[i].drop, -i),
        )
        for index in droppable:
            if needed() <= width:
                break
            kept.remove(index)
        widths = {i: mins[i] for i in kept}
        slack = width - needed()
        natural = {i: self.natural(i) for i in kept}
        # A window's two dates stay on one line whenever the width allows; an
        # identifying column (who, the paragraph) is not wrapped while the free
        # text can still have COMFORTABLE columns.
        text = {i: max(self.columns[i].ratio, 1) for i in kept if self.columns[i].wrap}
        text = {i: r for i, r in text.items() if not self.columns[i].key}
        comfortable = {i: COMFORTABLE * r // sum(text.values()) for i, r in text.items()}
        spared = [i for i in kept if self.columns[i].break_at or self.columns[i].key]
        for i in sorted(spared, key=lambda i: (natural[i] - widths[i], natural[i])):  # cheapest
            extra = natural[i] - widths[i]
            if extra <= 0:
                continue
            wanted = sum(max(0, min(natural[j], comfortable[j]) - widths[j]) for j in text)
            if extra <= slack - wanted:
                widths[i] += extra
                slack -= extra
        # Spare width goes next to wrapping columns short of their content, by ratio
        # (a window's dates are one line or two: a column between is no use).
        wrapping = {i: max(self.columns[i].ratio, 1) for i in kept if self.columns[i].wrap}
        slack = _share(widths, natural, wrapping, slack)
        if expand and slack > 0:
            ratios = {i: self.columns[i].ratio for i in kept if self.columns[i].ratio}
            if ratios:
                _share(widths, {i: width for i in kept}, ratios, slack)
        return kept, [widths[i] for i in kept]

    # ------------------------------------------------------------------ Rich protocol
    def table(self, width: int, expand: bool) -> Any:
        from rich import box
        from rich.table import Table

        kept, widths = self.layout(width, expand)
        if self.grid:
            table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
        else:
            table = Table(title=self.title, title_justify="left", box=box.SIMPLE_HEAD)
        for index, column_width in zip(kept, widths, strict=True):
            column = self.columns[index]
            table.add_column(
                column.header,
                width=column_width,
                no_wrap=not column.wrap,
                overflow="fold",
                justify=column.justify,  # type: ignore[arg-type]
            )
        broken = {
            i
            for i, w in zip(kept, widths, strict=True)
            if self.columns[i].break_at and w < self.natural(i)
        }
        for row in self.rows:
            cells = (
                "\n".join(_broken(row.cells[i], self.columns[i])) if i in broken else row.cells[i]
                for i in kept
            )
            table.add_row(*cells, style=row.style)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.table(options.max_width, expand=console.is_terminal)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        kept, widths = self.layout(options.max_width, expand=False)
        used = sum(widths) + self.overhead(len(kept))
        return Measurement(min(used, options.max_width), min(used, options.max_width))


def _broken(cell: Any, column: Col) -> list[str]:
    """The lines of ``cell`` broken after each ``column.break_at``."""
    text = _plain(cell)
    if not column.break_at:
        return text.split("\n")
    return text.replace(column.break_at, column.break_at.rstrip() + "\n").split("\n")


def _share(widths: dict[int, int], caps: dict[int, int], ratios: dict[int, int], slack: int) -> int:
    """Give ``slack`` out one column at a time to the column furthest below its share."""
    while slack > 0:
        open_ = [i for i in ratios if widths[i] < caps[i]]
        if not open_:
            break
        neediest = min(open_, key=lambda i: (widths[i] / ratios[i], i))
        widths[neediest] += 1
        slack -= 1
    return slack


def plain_lines(text: str) -> str:
    """Rendered text without trailing spaces (what a file or a pager gets)."""
    return "\n".join(line.rstrip() for line in text.split("\n"))
