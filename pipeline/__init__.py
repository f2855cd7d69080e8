"""Japanese local-government meeting packets (PDF) → DuckDB warehouse."""

#: Recorded on every document; a change makes the next ingest re-parse every file
#: (from extracted/, without re-reading the PDFs).
__version__ = "0.1.0"
