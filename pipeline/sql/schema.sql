-- Warehouse tables (contract: ../shared/spec/warehouse.md; extra columns are ours).
-- Applied to a new warehouse only; a warehouse of another schema_version is rebuilt.

CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

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
    duplicate_of_meeting VARCHAR[] -- other doc_ids that describe the same meeting
);

CREATE TABLE IF NOT EXISTS agenda_items (
    doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL, title VARCHAR, page INTEGER
);

CREATE TABLE IF NOT EXISTS materials (
    doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL, label VARCHAR, title VARCHAR,
    department VARCHAR, page INTEGER
);

CREATE TABLE IF NOT EXISTS attendees (
    doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL, side VARCHAR, post VARCHAR,
    name VARCHAR, family_name VARCHAR, given_name VARCHAR, name_text VARCHAR,
    person_id VARCHAR, by_proxy BOOLEAN, proxy_name VARCHAR, proxy_post VARCHAR,
    page INTEGER,
    -- ours
    side_stated_count INTEGER,     -- head count printed in the side's header (17名)
    from_ocr BOOLEAN
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
    targets VARCHAR                -- 対象市町村 where printed
);

CREATE TABLE IF NOT EXISTS wg_meetings (
    doc_id VARCHAR NOT NULL, item_id VARCHAR, track VARCHAR, label VARCHAR,
    held_on DATE, date_text VARCHAR, precision VARCHAR, planned BOOLEAN,
    fiscal_year INTEGER, page INTEGER,
    -- ours
    ends_on DATE                   -- last day the date could mean (month precision)
);

CREATE TABLE IF NOT EXISTS item_results (
    doc_id VARCHAR NOT NULL, item_id VARCHAR, fiscal_year INTEGER, section VARCHAR,
    topic VARCHAR, results VARCHAR, next_steps VARCHAR, page INTEGER,
    -- ours
    seq INTEGER
);

CREATE TABLE IF NOT EXISTS kpis (
    doc_id VARCHAR NOT NULL, item_id VARCHAR, metric VARCHAR, scope VARCHAR, segment VARCHAR,
    value DOUBLE, unit VARCHAR, as_of DATE, as_of_text VARCHAR, rank INTEGER, kind VARCHAR,
    context VARCHAR, page INTEGER,
    -- ours
    value_text VARCHAR
);

CREATE TABLE IF NOT EXISTS schedule (
    doc_id VARCHAR NOT NULL, fiscal_year INTEGER, starts_on DATE, ends_on DATE,
    precision VARCHAR, date_text VARCHAR, event VARCHAR, session_no INTEGER,
    extraordinary BOOLEAN, format VARCHAR, planned BOOLEAN, page INTEGER
);

CREATE TABLE IF NOT EXISTS pages (
    doc_id VARCHAR NOT NULL, page INTEGER NOT NULL, text VARCHAR, char_count INTEGER,
    has_text_layer BOOLEAN,
    -- ours
    source VARCHAR                 -- text (the PDF's text layer), ocr, or none
);

CREATE TABLE IF NOT EXISTS raw_tables (
    doc_id VARCHAR NOT NULL, page INTEGER, table_no INTEGER, row_no INTEGER, col_no INTEGER,
    text VARCHAR
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
