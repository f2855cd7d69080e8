"""The parser registry: every parser, the tables it fills, and the phase it runs in.

A parser is a pure function ``(document IR, Context) -> ParseResult`` registered
where it is defined::

    @register("schedule", tables=("schedule",))
    def document_to_schedule(doc, ctx): ...

Modules named ``pipeline.parse_*`` are imported on first use, so adding a parser
is adding a module: no list elsewhere names it. Which parsers run for a document
is data: its profile's ``parsers`` list (pipeline/data/profiles/). ``header``
parsers run first; the documents fields they return become the meeting the
``body`` parsers resolve dates against.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable

PHASES = ("header", "body")


@dataclass(frozen=True)
class ParserSpec:
    """A registered parser.

    Attributes:
        name: what profiles call it by.
        tables: the warehouse tables it fills (a test checks them against the schema).
        func: ``(Document, Context) -> ParseResult``.
        phase: ``header`` (fills documents fields; runs first) or ``body``.
    """

    name: str
    tables: tuple[str, ...]
    func: Callable
    phase: str = "body"


_REGISTRY: dict[str, ParserSpec] = {}
_LOADED = False


def register(name: str, *, tables: tuple[str, ...], phase: str = "body") -> Callable:
    """Decorator: register ``func`` as the parser ``name`` filling ``tables``."""
    if phase not in PHASES:
        raise ValueError(f"parser {name}: phase must be one of {PHASES}, not {phase!r}")

    def deco(func: Callable) -> Callable:
        old = _REGISTRY.get(name)
        if old is not None and (old.func.__module__, old.func.__qualname__) != (func.__module__, func.__qualname__):
            raise ValueError(f"two parsers are called {name!r}: {old.func.__module__} and {func.__module__}")
        _REGISTRY[name] = ParserSpec(name, tuple(tables), func, phase)
        return func

    return deco


def _load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    import pipeline

    for mod in pkgutil.iter_modules(pipeline.__path__):
        if mod.name.startswith("parse_"):
            importlib.import_module(f"pipeline.{mod.name}")
    _LOADED = True


def parsers() -> dict[str, ParserSpec]:
    """Every registered parser by name."""
    _load_all()
    return dict(_REGISTRY)


def parser_names() -> set[str]:
    return set(parsers())


def tables_filled() -> dict[str, list[str]]:
    """Table → the parsers that fill it."""
    out: dict[str, list[str]] = {}
    for spec in parsers().values():
        for t in spec.tables:
            out.setdefault(t, []).append(spec.name)
    return out
