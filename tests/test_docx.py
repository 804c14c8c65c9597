"""Letters as Word documents (issue 21): ``sendplan letter ... --format docx``.

Every letter of every case in the render-everything set (the examples and one
generated case per kind and variant) is written with ``--all --format docx``,
opened with python-docx, and checked against its own Markdown: A4 (w:pgSz
11906 x 16838), Arial, every table with its rows and columns, every list item,
and the words in order (the Markdown read as HTML by markdown-it-py, its text
taken by the standard library's HTML parser, against the document's text).
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from cli_harness import run_cli
from sendplan.render.docx import A4_TWIPS, docx_text, markdown_docx
from test_render_everything import CASES, case_text

ROOT = Path(__file__).resolve().parents[1]
FULL = ROOT / "examples" / "full-inspection.toml"
MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def letters_of(name: str, tmp_path: Path) -> dict[str, tuple[str, bytes]]:
    """{letter: (its Markdown, its Word document)} for the case ``name``."""
    case = tmp_path / "case.toml"
    case.write_text(case_text(name), encoding="utf-8")
    md_dir, docx_dir = tmp_path / "md", tmp_path / "docx"
    for folder, more in ((md_dir, []), (docx_dir, ["--format", "docx"])):
        result = run_cli("letter", str(case), "--all", "--out-dir", str(folder), *more)
        assert result.code == 0, result.output
    out = {}
    for md in sorted(md_dir.glob("*.md")):
        word = docx_dir / f"{md.stem}.docx"
        assert word.exists(), f"{md.name} has no Word document"
        out[md.stem] = (md.read_text(encoding="utf-8"), word.read_bytes())
    assert sorted(p.stem for p in docx_dir.iterdir()) == sorted(out)
    return out


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        # A block (and a line break) separates words; inline markup does not.
        if tag in BLOCKS:
            self.parts.append(" ")

    handle_startendtag = handle_starttag


BLOCKS = {"p", "li", "td", "th", "tr", "br", "blockquote", "ul", "ol", "table", "hr"}
BLOCKS |= {f"h{n}" for n in range(1, 7)}


def words_of_markdown(markdown: str) -> list[str]:
    parser = _Text()
    parser.feed(MD.render(markdown))
    return "".join(parser.parts).split()


def words_of_docx(data: bytes) -> list[str]:
    # A numbered item's number is text in the document, markup in the HTML.
    lines = [re.sub(r"^\d+\.\t", "", line) for line in docx_text(data)]
    return " ".join(lines).split()


def shapes(markdown: str) -> tuple[list[tuple[int, int]], int, int]:
    """The Markdown's tables (rows, columns), bullet items and numbered items."""
    tables: list[tuple[int, int]] = []
    bullets = numbered = 0
    stack: list[str] = []
    rows = cols = 0
    for token in MD.parse(markdown):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            stack.append(token.type)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            stack.pop()
        elif token.type == "list_item_open":
            if stack[-1] == "bullet_list_open":
                bullets += 1
            else:
                numbered += 1
        elif token.type == "table_open":
            rows = cols = 0
        elif token.type == "tr_open":
            rows += 1
        elif token.type in ("th_open", "td_open") and rows == 1:
            cols += 1
        elif token.type == "table_close":
            tables.append((rows, cols))
    return tables, bullets, numbered


def _style(paragraph: Any) -> str:
    return str(paragraph.style.name) if paragraph.style is not None else ""


def document_shapes(data: bytes) -> tuple[list[tuple[int, int]], int, int]:
    from docx import Document

    document = Document(io.BytesIO(data))
    tables = [(len(t.rows), len(t.columns)) for t in document.tables]
    bullets = sum(1 for p in document.paragraphs if _style(p).startswith("List Bullet"))
    numbered = sum(1 for p in document.paragraphs if re.match(r"\d+\.\t", p.text))
    return tables, bullets, numbered


@pytest.mark.parametrize("name", CASES)
def test_every_letter_as_word_keeps_its_text_tables_and_lists(name: str, tmp_path: Path) -> None:
    letters = letters_of(name, tmp_path)
    assert letters
    for letter, (markdown, data) in letters.items():
        assert data[:2] == b"PK", letter
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
        size = re.search(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', xml)
        assert size and (int(size[1]), int(size[2])) == A4_TWIPS == (11906, 16838), letter
        assert document_shapes(data) == shapes(markdown), letter
        assert words_of_docx(data) == words_of_markdown(markdown), letter


def test_styles_are_arial_with_headings_and_a_table_grid() -> None:
    from docx import Document

    markdown = (
        "# Title\n\nSome *text* and **bold**.\n\n## Part\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    )
    document = Document(io.BytesIO(markdown_docx([markdown])))
    styles = document.styles
    assert styles["Normal"].font.name == "Arial"
    assert [_style(p) for p in document.paragraphs[:3]] == ["Heading 1", "Normal", "Heading 2"]
    assert styles["Heading 1"].font.name == "Arial" and styles["Heading 1"].font.bold
    # The theme's heading font would win over Arial in Word and LibreOffice.
    assert "w:asciiTheme" not in styles["Heading 1"].element.xml
    table_style = document.tables[0].style
    assert table_style is not None and table_style.name == "Table Grid"
    runs = document.paragraphs[1].runs
    assert [(r.text, bool(r.italic), bool(r.bold)) for r in runs] == [
        ("Some ", False, False),
        ("text", True, False),
        (" and ", False, False),
        ("bold", False, True),
        (".", False, False),
    ]
    # The header row repeats on every page.
    assert "w:tblHeader" in document.tables[0].rows[0]._tr.xml


def test_numbered_lists_keep_their_numbers_and_nesting() -> None:
    markdown = "3. three\n4. four\n   - inner\n\nText.\n\n1. one again\n"
    text = docx_text(markdown_docx([markdown]))
    assert [t for t in text if t] == ["3.\tthree", "4.\tfour", "inner", "Text.", "1.\tone again"]


def test_one_letter_to_a_file_and_usage_errors(tmp_path: Path) -> None:
    out = tmp_path / "notification.docx"
    result = run_cli("letter", str(FULL), "notification", "--format", "docx", "-o", str(out))
    assert result.code == 0 and result.stdout == ""
    assert "Rehearsal copy" in " ".join(docx_text(out.read_bytes()))
    cases: list[tuple[list[str], str]] = [
        (["notification", "--format", "docx"], "give -o FILE.docx"),
        (["notification", "--format", "docx", "-o", str(tmp_path / "x.md")], "name the file .docx"),
        (
            ["--list", "--format", "docx", "-o", str(tmp_path / "y.docx")],
            "--list names the letters",
        ),
    ]
    for args, message in cases:
        result = run_cli("letter", str(FULL), *args)
        assert result.code == 2, args
        assert message in result.stderr, result.stderr
    # Never over an existing file without --force.
    again = run_cli("letter", str(FULL), "notification", "--format", "docx", "-o", str(out))
    assert again.code == 2


def test_per_child_letters_are_owner_only(tmp_path: Path) -> None:
    letters = tmp_path / "letters"
    case = tmp_path / "case.toml"
    case.write_text(case_text("full-outcome-tracked"), encoding="utf-8")
    result = run_cli(
        "letter", str(case), "tracking-consent", "--out-dir", str(letters), "--format", "docx"
    )
    assert result.code == 0, result.output
    made: list[Any] = sorted(letters.glob("tracking-consent-*.docx"))
    assert len(made) == 6
    assert all(p.stat().st_mode & 0o077 == 0 for p in made)
