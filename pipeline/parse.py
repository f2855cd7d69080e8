"""Parse: the IR of one document to warehouse rows.

Wires the parse stage: detect the body profile (or take the forced one), build the
outline once, run the profile's header parsers (their documents fields become the
meeting), then its body parsers, each a pure function ``(IR, Context) -> rows``
from the registry (pipeline.registry). A parser that fails costs only its own
tables (a warning names it), never the rest of the document.
"""
from __future__ import annotations

import traceback

from pipeline.ir import Document
from pipeline.outline import Outline, document_to_outline
from pipeline.profile import FALLBACK, Detection, get_profile, load_profiles, text_to_detection
from pipeline.registry import PHASES, ParserSpec, parsers
from pipeline.rows import Context, Meeting, ParseResult

STAGE = "parse"
#: The row key the outline's section goes to, unless the row already has one of its own
#: (item_results.section is the sub-heading of a results table, by the v1 contract).
SECTION_KEY, SECTION_KEY_TAKEN = "section", "outline_section"


def document_to_detection(doc: Document, forced: str | None = None) -> Detection:
    """The profile of a document, detected from its text (never its file name) or forced.

    Raises:
        KeyError: ``forced`` names no profile.
    """
    if forced:
        return Detection(get_profile(forced), 0.0, (), forced=True)
    return text_to_detection("\n".join(p.text for p in doc.pages), load_profiles())


def _stamp_sections(rows: list[dict], outline: Outline) -> None:
    for r in rows:
        key = SECTION_KEY_TAKEN if SECTION_KEY in r else SECTION_KEY
        if r.get(key) is None:
            r[key] = outline.name_at(r.get("page"), r.get("top") or 0.0)


def document_to_rows(doc: Document, profile: str | None = None) -> tuple[dict, ParseResult]:
    """All rows of one document.

    Args:
        doc: the IR.
        profile: force this profile instead of detecting one.

    Returns:
        (the documents fields, the ParseResult with every other table's rows).
    """
    detection = document_to_detection(doc, profile)
    prof = detection.profile
    outline = document_to_outline(doc, prof)
    specs = [parsers()[n] for n in prof.parsers]
    res = ParseResult()
    ctx = Context(prof, outline)
    for phase in PHASES:
        if phase == "body":  # the header parsers' fields are the meeting the others resolve dates against
            ctx = Context(prof, outline, Meeting(held_on=res.fields.get("held_on"),
                                                 fiscal_year=res.fields.get("fiscal_year")))
        for spec in specs:
            if spec.phase == phase:
                res.merge(_run(spec, doc, ctx, res))
    fields = dict(res.fields)
    fields["profile"] = prof.name
    fields["profile_evidence"] = detection.evidence_text()
    if prof.name == FALLBACK and not detection.forced:
        res.warn(STAGE, None, "the document fits no body profile (its text has too little of any profile's "
                              "evidence): only pages, tables and a meeting header were read; "
                              "force one with --profile if it is a known kind")
    for p in doc.pages:
        if p.needs_ocr:
            res.warn("extract", p.number, "page has no text layer (scanned?): its content is missing; "
                     "install tesseract (make ocr-deps) to OCR it")
        elif not p.has_text_layer and p.source != "ocr" and p.width > 0:
            res.warn("extract", p.number, "page has no text and no image: blank, or its content could "
                     "not be decoded")
    return fields, res


def _run(spec: ParserSpec, doc: Document, ctx: Context, res: ParseResult) -> ParseResult:
    """One parser's rows, sections stamped; a failure or an undeclared table is a warning in ``res``."""
    try:
        out = spec.func(doc, ctx)
    except Exception as e:  # a parser bug must not cost the document
        res.warn(spec.name, None, f"parser failed: {type(e).__name__}: {e} | {_where(e)}")
        return ParseResult()
    for table in list(out.tables):
        if table not in spec.tables:
            res.warn(spec.name, None, f"parser wrote table {table!r}, which it does not declare: rows dropped")
            del out.tables[table]
        else:
            _stamp_sections(out.tables[table], ctx.outline)
    return out


def _where(e: Exception) -> str:
    tb = traceback.extract_tb(e.__traceback__)
    return f"{tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
