-- Warehouse tables (contract: ../shared/spec/warehouse.md; extra columns are ours).
-- Applied to a new warehouse only; a warehouse of another schema_version is rebuilt.

CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

-- Where a value was printed: a page and a box in PDF points from the page's top-left.
CREATE TYPE IF NOT EXISTS BOX AS STRUCT(page INTEGER, x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE);

CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY,
    source_path VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    page_count INTEGER,
    meeting_body VARCHAR,
    title VARCHAR,
    fiscal_year INTEGER,
    session_no INTEGER,
    held_on DATE,
    starts_at TIME,
    ends_at TIME,
    venue VARCHAR,
    ingested_at TIMESTAMP,
    pipeline_version VARCHAR,
    -- ours
    weekday_text VARCHAR,          -- weekday as printed beside the date, e.g. 木
    status VARCHAR,                -- loaded or partial
    file_size BIGINT,
    file_mtime_ns BIGINT,
    ocr_pages INTEGER,             -- pages whose text came from OCR
    duplicate_of_meeting VARCHAR[], -- other doc_ids that describe the same meeting
    profile VARCHAR,               -- body profile detected (or forced with --profile)
    profile_evidence VARCHAR       -- why: the profile's evidence phrases found, and their score
);

CREATE TABLE IF NOT EXISTS agenda_items (
    doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL, title VARCHAR, page INTEGER,
    -- provenance: the box of the cell or line the row came from (PDF points from the page's
    -- top-left, pdfplumber's names), every box where the value was joined from several
    -- lines or pages, and the outline section it lies in
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, boxes BOX[], section VARCHAR
);

CREATE TABLE IF NOT EXISTS materials (
    doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL, label VARCHAR, title VARCHAR,
    department VARCHAR, page INTEGER,
    -- provenance: the box of the cell or line the row came from (PDF points from the page's
    -- top-left, pdfplumber's names), every box where the value was joined from several
    -- lines or pages, and the outline section it lies in
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, boxes BOX[], section VARCHAR
);

CREATE TABLE IF NOT EXISTS attendees (
    doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL, side VARCHAR, post VARCHAR,
    name VARCHAR, family_name VARCHAR, given_name VARCHAR, name_text VARCHAR,
    person_id VARCHAR, by_proxy BOOLEAN, proxy_name VARCHAR, proxy_post VARCHAR,
    page INTEGER,
    -- ours
    side_stated_count INTEGER,     -- head count printed in the side's header (17名)
    from_ocr BOOLEAN,
    -- provenance: the box of the cell or line the row came from (PDF points from the page's
    -- top-left, pdfplumber's names), every box where the value was joined from several
    -- lines or pages, and the outline section it lies in
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, boxes BOX[], section VARCHAR,
    absent BOOLEAN,                -- listed under 欠席委員 / 欠席者: kept, but not an attendee
    ocr_confidence DOUBLE,
    ocr_corrected BOOLEAN
);

CREATE TABLE IF NOT EXISTS persons (
    person_id VARCHAR PRIMARY KEY, name VARCHAR, family_name VARCHAR, given_name VARCHAR,
    variants VARCHAR[]
);

CREATE TABLE IF NOT EXISTS items (
    item_id VARCHAR PRIMARY KEY, title VARCHAR,
    -- ours
    title_variants VARCHAR[],      -- every title seen for the item, normalized
    first_doc_id VARCHAR
);

CREATE TABLE IF NOT EXISTS item_years (
    doc_id VARCHAR NOT NULL, item_id VARCHAR, fiscal_year INTEGER, selected BOOLEAN,
    change VARCHAR, proposers VARCHAR[], departments VARCHAR[], reason VARCHAR, page INTEGER,
    -- ours
    title_text VARCHAR,            -- the item title as printed in this document
    targets VARCHAR,                -- 対象市町村 where printed
    -- provenance: the box of the cell or line the row came from (PDF points from the page's
    -- top-left, pdfplumber's names), every box where the value was joined from several
    -- lines or pages, and the outline section it lies in
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, boxes BOX[], section VARCHAR
);

CREATE TABLE IF NOT EXISTS wg_meetings (
    doc_id VARCHAR NOT NULL, item_id VARCHAR, track VARCHAR, label VARCHAR,
    held_on DATE, date_text VARCHAR, precision VARCHAR, planned BOOLEAN,
    fiscal_year INTEGER, page INTEGER,
    -- ours
    ends_on DATE,                   -- last day the date could mean (month precision)
    format VARCHAR,                 -- how the meeting was held where printed: 書面, オンライン, 対面 …
    -- provenance: the box of the cell or line the row came from (PDF points from the page's
    -- top-left, pdfplumber's names), every box where the value was joined from several
    -- lines or pages, and the outline section it lies in
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, boxes BOX[], section VARCHAR
);

CREATE TABLE IF NOT EXISTS item_results (
    doc_id VARCHAR NOT NULL, item_id VARCHAR, fiscal_year INTEGER, section VARCHAR,
    topic VARCHAR, results VARCHAR, next_steps VARCHAR, page INTEGER,
    -- ours
    seq INTEGER,
    -- provenance: the box of the cell or line the row came from (PDF points from the page's
    -- top-left, pdfplumber's names), every box where the value was joined from several
    -- lines or pages, and the outline section it lies in
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, boxes BOX[], outline_section VARCHAR  -- section is the results table's own sub-heading (v1)
);

CREATE TABLE IF NOT EXISTS kpis (
    doc_id VARCHAR NOT NULL, item_id VARCHAR, metric VARCHAR, scope VARCHAR, segment VARCHAR,
    value DOUBLE, unit VARCHAR, as_of DATE, as_of_text VARCHAR, rank INTEGER, kind VARCHAR,
    context VARCHAR, page INTEGER,
    -- ours
    value_text VARCHAR,
    -- provenance: the box of the cell or line the row came from (PDF points from the page's
    -- top-left, pdfplumber's names), every box where the value was joined from several
    -- lines or pages, and the outline section it lies in
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, boxes BOX[], section VARCHAR
);

CREATE TABLE IF NOT EXISTS schedule (
    doc_id VARCHAR NOT NULL, fiscal_year INTEGER, starts_on DATE, ends_on DATE,
    precision VARCHAR, date_text VARCHAR, event VARCHAR, session_no INTEGER,
    extraordinary BOOLEAN, format VARCHAR, planned BOOLEAN, page INTEGER,
    -- provenance: the box of the cell or line the row came from (PDF points from the page's
    -- top-left, pdfplumber's names), every box where the value was joined from several
    -- lines or pages, and the outline section it lies in
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, boxes BOX[], section VARCHAR
);

CREATE TABLE IF NOT EXISTS pages (
    doc_id VARCHAR NOT NULL, page INTEGER NOT NULL, text VARCHAR, char_count INTEGER,
    has_text_layer BOOLEAN,
    -- ours
    source VARCHAR,                 -- text (the PDF's text layer), ocr, or none
    section VARCHAR                -- outline section the page starts in
);

CREATE TABLE IF NOT EXISTS raw_tables (
    doc_id VARCHAR NOT NULL, page INTEGER, table_no INTEGER, row_no INTEGER, col_no INTEGER,
    text VARCHAR,
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, section VARCHAR
);

CREATE TABLE IF NOT EXISTS ingest_log (
    run_id VARCHAR, source_path VARCHAR, sha256 VARCHAR, status VARCHAR, message VARCHAR,
    started_at TIMESTAMP, finished_at TIMESTAMP,
    -- ours
    doc_id VARCHAR
);

CREATE TABLE IF NOT EXISTS warnings (
    doc_id VARCHAR, stage VARCHAR, page INTEGER, message VARCHAR,
    -- ours
    run_id VARCHAR
);

-- Current state of every file seen in raw/: lets a re-run skip unchanged files
-- on size + mtime without hashing them.
CREATE TABLE IF NOT EXISTS files (
    source_path VARCHAR PRIMARY KEY, sha256 VARCHAR, size BIGINT, mtime_ns BIGINT,
    doc_id VARCHAR, status VARCHAR, pipeline_version VARCHAR
);

-- Manifest of `python -m pipeline fetch`: one row per URL fetched or checked. A re-run
-- sends its etag / last_modified as a conditional request, so nothing unchanged is downloaded.
CREATE TABLE IF NOT EXISTS fetches (
    url VARCHAR PRIMARY KEY,       -- the link as found on the page (absolute, no #fragment)
    source VARCHAR,                -- the sources.toml entry it was found through
    title_seen VARCHAR,            -- link text, without its （PDF：…KB） note
    date_seen DATE,                -- meeting date read from the page (heading or link text)
    etag VARCHAR,
    last_modified VARCHAR,
    sha256 VARCHAR,
    path VARCHAR,                  -- relative to raw/, POSIX separators
    status VARCHAR,                -- new, updated, unchanged, duplicate, failed, skipped
    fetched_at TIMESTAMP,          -- when the bytes at path were downloaded
    -- ours
    meeting_seen VARCHAR,          -- the meeting's title (detail page heading, listing link or heading)
    page_url VARCHAR,              -- the page the link was found on
    final_url VARCHAR,             -- where redirects ended
    size BIGINT,
    message VARCHAR,               -- why it failed or was skipped
    checked_at TIMESTAMP           -- when this URL was last looked at
);

-- Hand corrections (corrections/*.csv, pipeline.corrections) as applied when the document
-- was last loaded: one row per correction line naming the document. applied is false, with
-- the reason, when the row holds another value than value_as_extracted (the parser or the
-- PDF changed) or no row has the key any more; such a correction is also a warning.
CREATE TABLE IF NOT EXISTS corrections (
    file VARCHAR,                  -- the corrections file, as found under --corrections
    line INTEGER,                  -- its line
    table_name VARCHAR,
    row_key VARCHAR,               -- <source_path>#<natural key> (see corrections/README.md)
    column_name VARCHAR,
    value_as_extracted VARCHAR,
    corrected_value VARCHAR,
    note VARCHAR,
    applied BOOLEAN,
    reason VARCHAR,                -- why it was not applied
    doc_id VARCHAR,
    run_id VARCHAR
);
