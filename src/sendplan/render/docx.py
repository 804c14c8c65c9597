"""Letters as Word documents (issue 21): ``sendplan letter CASE NAME --format docx``.

The Markdown a letter renders to stays the source of truth; this module reads
it with markdown-it-py (CommonMark with GitHub's tables, the parser the tests
read letters with, installed with rich) and writes it with python-docx, on
A4 in GOV.UK-like styles: Arial throughout, bold black headings, tables with
a header row repeated on each page, real bullets, numbered lists keeping the
Markdown's own numbers.

Why python-docx rather than pandoc in a wheel (``pypandoc_binary``): the
letters use headings, paragraphs, emphasis, bullet and numbered lists (nested
too), block quotes and pipe tables, and each maps to a Word construct one to
one here, with the page size, fonts and table styles set in code; pandoc
would need a reference document for A4 and the styles, and its wheel is
34 MB to download and 162 MB installed (a pandoc binary per platform) against
python-docx's 0.25 MB and lxml's few MB.  Imported only when writing one.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it.token import Token

    from sendplan.letters.templates import Letter

#: A4 in twentieths of a point (twips): 210 x 297 mm (w:pgSz 11906 x 16838).
A4_TWIPS = (11906, 16838)
#: GOV.UK's text colour (#0b0c0c) and its body and heading sizes (points) for print.
INK = (0x0B, 0x0C, 0x0C)
FONT = "Arial"
BODY_PT = 12
HEADING_PT = {1: 20, 2: 16, 3: 13, 4: 12, 5: 12, 6: 12}
#: Indent of a nested list level (points).
LIST_INDENT_PT = 18


def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def markdown_docx(letters: Sequence[str], *, title: str = "", footer: str = "") -> bytes:
    """A Word document of one or more Markdown ``letters`` (each from a new page)."""
    from docx import Document

    document = Document()
    _page_setup(document, footer)
    _styles(document)
    if title:
        document.core_properties.title = title
    document.core_properties.language = "en-GB"
    parser = _parser()
    for index, text in enumerate(letters):
        if index:
            from docx.enum.text import WD_BREAK

            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _Writer(document).write(parser.parse(text))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def letter_docx(letter: Letter) -> bytes:
    """One rendered letter as a Word document."""
    return letters_docx([letter])


def letters_docx(letters: Sequence[Letter]) -> bytes:
    """Rendered letters as one Word document, each from a new page."""
    title = letters[0].template.purpose if len(letters) == 1 else ""
    return markdown_docx([letter.text for letter in letters], title=title)


# ------------------------------------------------------------------ page and styles
def _page_setup(document: Any, footer: str) -> None:
    from docx.shared import Mm, Twips

    for section in document.sections:
        section.page_width, section.page_height = (Twips(v) for v in A4_TWIPS)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin = section.right_margin = Mm(20)
        paragraph = section.footer.paragraphs[0]
        if footer:
            paragraph.add_run(f"{footer}    ")
        paragraph.add_run("Page ")
        _field(paragraph, "PAGE")
        paragraph.add_run(" of ")
        _field(paragraph, "NUMPAGES")


def _field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) Word fills in when it lays the page out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _arial(style: Any) -> None:
    """The style's text in Arial, in all four of w:rFonts's slots (East Asian and
    complex-script text too), and without the theme's fonts, which would win."""
    from docx.oxml.ns import qn

    style.font.name = FONT
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _styles(document: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    styles = document.styles
    for name in ("Normal", "List Bullet", "List Bullet 2", "List Bullet 3", "Quote", "Table Grid"):
        style = styles[name]
        _arial(style)
        style.font.color.rgb = RGBColor(*INK)
    normal = styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.15
    lang = normal.element.get_or_add_rPr()
    language = lang.find(qn("w:lang"))
    if language is None:
        from docx.oxml import OxmlElement

        language = OxmlElement("w:lang")
        lang.append(language)
    language.set(qn("w:val"), "en-GB")
    for level, size in HEADING_PT.items():
        style = styles[f"Heading {level}"]
        _arial(style)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(*INK)
        style.paragraph_format.space_before = Pt(14 if level <= 2 else 10)
        style.paragraph_format.space_after = Pt(6)
    quote = styles["Quote"]
    quote.font.italic = False
    quote.paragraph_format.left_indent = Pt(LIST_INDENT_PT)


# ------------------------------------------------------------------ Markdown to Word
class _Writer:
    """Walks markdown-it's tokens and writes paragraphs, lists and tables."""

    def __init__(self, document: Any) -> None:
        self.document = document
        #: Open lists, innermost last: ("bullet", 0) or ("ordered", next number).
        self.lists: list[list[Any]] = []
        self.quote = 0
        self.row: list[tuple[bool, Token | None]] = []
        self.rows: list[list[tuple[bool, Token | None]]] = []

    def write(self, tokens: Sequence[Token]) -> None:
        for index, token in enumerate(tokens):
            handler = getattr(self, f"_{token.type}", None)
            if handler is not None:
                handler(token, tokens, index)

    # Blocks ------------------------------------------------------------------
    def _heading_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        level = min(int(token.tag[1]), 6)
        paragraph = self.document.add_paragraph(style=f"Heading {level}")
        self._runs(paragraph, tokens[index + 1])

    def _paragraph_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        inline = tokens[index + 1]
        if self.lists and token.level > 0 and self._first_in_item(tokens, index):
            paragraph = self._list_paragraph()
        elif self.lists:
            # A second paragraph of a list item: indented under its text.
            paragraph = self.document.add_paragraph()
            paragraph.paragraph_format.left_indent = self._indent(len(self.lists))
        elif self.quote:
            paragraph = self.document.add_paragraph(style="Quote")
        else:
            paragraph = self.document.add_paragraph()
        self._runs(paragraph, inline)

    def _first_in_item(self, tokens: Sequence[Token], index: int) -> bool:
        return index > 0 and tokens[index - 1].type == "list_item_open"

    def _indent(self, depth: int) -> Any:
        from docx.shared import Pt

        return Pt(LIST_INDENT_PT * depth)

    def _list_paragraph(self) -> Any:
        from docx.shared import Pt

        depth = len(self.lists)
        kind = self.lists[-1]
        if kind[0] == "bullet":
            style = "List Bullet" if depth == 1 else f"List Bullet {min(depth, 3)}"
            paragraph = self.document.add_paragraph(style=style)
            return paragraph
        # The Markdown's own numbers, as text with a hanging indent: Word's
        # automatic numbering would run on from one list into the next.
        paragraph = self.document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.left_indent = self._indent(depth)
        fmt.first_line_indent = Pt(-LIST_INDENT_PT)
        fmt.tab_stops.add_tab_stop(self._indent(depth))
        paragraph.add_run(f"{kind[1]}.\t")
        kind[1] += 1
        return paragraph

    def _bullet_list_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.lists.append(["bullet", 0])

    def _ordered_list_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        start = token.attrGet("start")
        self.lists.append(["ordered", int(start) if start is not None else 1])

    def _bullet_list_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.lists.pop()

    _ordered_list_close = _bullet_list_close

    def _blockquote_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.quote += 1

    def _blockquote_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.quote -= 1

    def _hr(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = self.document.add_paragraph()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1")):
            bottom.set(qn(key), value)
        bottom.set(qn("w:color"), "B1B4B6")
        borders.append(bottom)
        paragraph._p.get_or_add_pPr().append(borders)

    def _code_block(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        for line in token.content.rstrip("\n").split("\n"):
            run = self.document.add_paragraph().add_run(line)
            run.font.name = "Courier New"

    _fence = _code_block

    def _html_block(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        text = token.content.strip()
        if text and not text.startswith("<!--"):
            self.document.add_paragraph(text)

    # Tables ------------------------------------------------------------------
    def _table_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.rows = []

    def _tr_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.row = []

    def _th_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.row.append((True, tokens[index + 1] if tokens[index + 1].type == "inline" else None))

    def _td_open(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.row.append((False, tokens[index + 1] if tokens[index + 1].type == "inline" else None))

    def _tr_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        self.rows.append(self.row)

    def _table_close(self, token: Token, tokens: Sequence[Token], index: int) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        columns = max((len(r) for r in self.rows), default=0)
        table = self.document.add_table(rows=len(self.rows), cols=columns)
        table.style = self.document.styles["Table Grid"]
        table.autofit = False
        widths = _column_widths(self.rows, columns)
        for c, width in enumerate(widths):
            table.columns[c].width = width
        for r, row in enumerate(self.rows):
            for c, (header, inline) in enumerate(row):
                table.cell(r, c).width = widths[c]
                paragraph = table.cell(r, c).paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(2)
                if inline is not None:
                    self._runs(paragraph, inline, bold=header)
            if row and row[0][0]:
                # The header row repeats at the top of each page (w:tblHeader).
                properties = table.rows[r]._tr.get_or_add_trPr()
                repeat = OxmlElement("w:tblHeader")
                repeat.set(qn("w:val"), "true")
                properties.append(repeat)
        self.document.add_paragraph()
        self.rows = []

    # Inline ------------------------------------------------------------------
    def _runs(self, paragraph: Any, inline: Token, *, bold: bool = False) -> None:
        from docx.enum.text import WD_BREAK

        strong = 1 if bold else 0
        em = strike = 0
        link: str | None = None
        for child in inline.children or []:
            kind = child.type
            if kind == "text" or kind == "code_inline":
                run = paragraph.add_run(child.content)
                run.bold = strong > 0 or None
                run.italic = em > 0 or None
                run.font.strike = strike > 0 or None
                if kind == "code_inline":
                    run.font.name = "Courier New"
                if link is not None:
                    run.underline = True
            elif kind == "softbreak":
                paragraph.add_run(" ")
            elif kind == "hardbreak" or (
                kind == "html_inline" and child.content.lower().startswith("<br")
            ):
                paragraph.add_run().add_break(WD_BREAK.LINE)
            elif kind == "strong_open":
                strong += 1
            elif kind == "strong_close":
                strong -= 1
            elif kind == "em_open":
                em += 1
            elif kind == "em_close":
                em -= 1
            elif kind == "s_open":
                strike += 1
            elif kind == "s_close":
                strike -= 1
            elif kind == "link_open":
                link = str(child.attrGet("href") or "")
            elif kind == "link_close":
                if link and not link.startswith(("#", "mailto:")):
                    paragraph.add_run(f" ({link})")
                link = None
            elif kind == "image" or kind == "html_inline":
                paragraph.add_run(child.content)


#: The text's width on the page: A4 less the two 20 mm margins.
TEXT_WIDTH_MM = 170


#: About the width of a character of 12 pt Arial, bold headers included (mm).
CHAR_MM = 2.4


def _column_widths(rows: Sequence[Sequence[tuple[bool, Token | None]]], columns: int) -> list[Any]:
    """Each column's width: at least its longest word (a word is never broken),
    the rest of the line shared out by each column's longest cell (a short code
    column narrow, a description wide)."""
    from docx.shared import Mm

    longest = [6.0] * columns
    least = [4 * CHAR_MM] * columns
    for row in rows:
        for c, (_, inline) in enumerate(row):
            if inline is None:
                continue
            longest[c] = max(longest[c], min(float(len(inline.content)), 60.0))
            word = max((len(w) for w in inline.content.split()), default=0)
            least[c] = max(least[c], min((word + 1) * CHAR_MM, TEXT_WIDTH_MM / columns))
    spare = max(TEXT_WIDTH_MM - sum(least), 0.0)
    extra = [max(n - m / CHAR_MM, 0.0) for n, m in zip(longest, least, strict=True)]
    total = sum(extra) or 1.0
    return [Mm(m + spare * e / total) for m, e in zip(least, extra, strict=True)]


def docx_text(data: bytes) -> list[str]:
    """The paragraphs' text of a Word document, tables' cells included in order
    (for the round-trip test and for reading a letter back)."""
    from docx import Document

    document = Document(io.BytesIO(data))
    out: list[str] = []
    body = document.element.body
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                out.extend(cell.text for cell in row.cells)
    return out
