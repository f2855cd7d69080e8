"""What parsers get and return: the context of a document, and rows per warehouse table."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.outline import Outline
    from pipeline.profile import Profile


@dataclass(frozen=True)
class Warn:
    stage: str
    page: int | None
    message: str


@dataclass(frozen=True)
class Meeting:
    """What the 次第 says about the meeting; later parsers resolve dates against it."""

    held_on: date | None = None
    fiscal_year: int | None = None


@dataclass(frozen=True)
class Context:
    """What a parser knows besides the IR: the body's profile, the outline, the meeting.

    ``meeting`` is empty for header parsers (they are what fills it).
    """

    profile: "Profile"
    outline: "Outline"
    meeting: Meeting = field(default_factory=Meeting)


@dataclass
class ParseResult:
    tables: dict[str, list[dict]] = field(default_factory=dict)
    #: documents fields (held_on, venue, title …), filled by header parsers
    fields: dict = field(default_factory=dict)
    items: list[dict] = field(default_factory=list)  # {"key", "title", "variants"}
    warnings: list[Warn] = field(default_factory=list)

    def add(self, table: str, rows: list[dict]) -> None:
        self.tables.setdefault(table, []).extend(rows)

    def warn(self, stage: str, page: int | None, message: str) -> None:
        self.warnings.append(Warn(stage, page, message))

    def merge(self, other: "ParseResult") -> None:
        for k, v in other.fields.items():
            if self.fields.get(k) is None:
                self.fields[k] = v
        for t, rows in other.tables.items():
            self.add(t, rows)
        known = {it["key"] for it in self.items}
        for it in other.items:
            if it["key"] not in known:
                self.items.append(it)
                known.add(it["key"])
            else:
                mine = next(x for x in self.items if x["key"] == it["key"])
                mine["variants"] = list(dict.fromkeys([*mine.get("variants", []), *it.get("variants", [])]))
        self.warnings.extend(other.warnings)
