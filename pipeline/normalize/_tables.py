"""Strict loaders for the data files in pipeline/data/.

Every file starts with a comment line naming its version, then a column-header
row, then data rows. Anything else is an error that names the file and the line:
a silently skipped row would change people's identity keys without a trace.
"""
from __future__ import annotations

from pathlib import Path

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CHAR_TABLE_HEADER = ("source_cp", "source", "target_cp", "target", "origin")
VARIANT_TABLE_HEADER = ("variant_cp", "variant", "representative_cp", "representative", "origin")
WORD_LIST_HEADER = ("word",)


def read_data_lines(path: Path, header: tuple[str, ...]) -> list[tuple[int, str]]:
    """(line number, text) of the data rows, after checking the preamble."""
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline
    if not lines or not lines[0].startswith("#") or "version" not in lines[0]:
        raise ValueError(f"{path}:1: the first line must be a '# … version …' comment")
    number = 1
    while number < len(lines) and lines[number].startswith("#"):
        number += 1
    if number >= len(lines) or tuple(lines[number].split("\t")) != header:
        raise ValueError(f"{path}:{number + 1}: expected the column header {'<TAB>'.join(header)}")
    return [(i + 1, text) for i, text in enumerate(lines) if i > number]


def _code_point(path: Path, number: int, field: str, char: str) -> str:
    if len(char) != 1:
        raise ValueError(f"{path}:{number}: {char!r} is not one character")
    if field != f"U+{ord(char):04X}":
        raise ValueError(f"{path}:{number}: {field} does not name {char!r} (U+{ord(char):04X})")
    return char


def load_char_table(path: Path, header: tuple[str, ...] = CHAR_TABLE_HEADER) -> dict[str, str]:
    """Load a one-character-to-one-character table (radicals.tsv, kanji_variants.tsv).

    Args:
        path: the TSV file.
        header: its expected column names: code point, character, code point,
            character, origin.

    Returns:
        Mapping from source character to target character.

    Raises:
        ValueError: naming the file and line of the first bad row: wrong field
            count, a code point that does not match its character, a repeated
            source, a source mapped to itself, an empty origin, or a target that is
            itself a source (folding must be idempotent).
    """
    table: dict[str, str] = {}
    line_of: dict[str, int] = {}
    for number, text in read_data_lines(path, header):
        fields = text.split("\t")
        if len(fields) != len(header):
            raise ValueError(f"{path}:{number}: expected {len(header)} tab-separated fields, found {len(fields)}")
        source = _code_point(path, number, fields[0], fields[1])
        target = _code_point(path, number, fields[2], fields[3])
        if not fields[4].strip():
            raise ValueError(f"{path}:{number}: the origin column is empty")
        if source == target:
            raise ValueError(f"{path}:{number}: {source!r} maps to itself")
        if source in table:
            raise ValueError(f"{path}:{number}: {source!r} already mapped on line {line_of[source]}")
        table[source] = target
        line_of[source] = number
    for source, target in table.items():
        if target in table:
            raise ValueError(f"{path}:{line_of[source]}: target {target!r} is itself mapped "
                             f"on line {line_of[target]}")
    return table


def load_word_list(path: Path) -> tuple[str, ...]:
    """Load a one-word-per-line list (honorifics.txt), longest words first.

    Raises:
        ValueError: naming the file and line of an empty line, a word with
            spaces or tabs, or a repeated word.
    """
    seen: dict[str, int] = {}
    for number, text in read_data_lines(path, WORD_LIST_HEADER):
        if not text or text != text.strip() or any(ch.isspace() for ch in text):
            raise ValueError(f"{path}:{number}: expected one word without spaces, found {text!r}")
        if text in seen:
            raise ValueError(f"{path}:{number}: {text!r} already listed on line {seen[text]}")
        seen[text] = number
    return tuple(sorted(seen, key=len, reverse=True))
