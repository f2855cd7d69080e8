-- Analyst views, applied after every ingest (CREATE OR REPLACE: safe to re-run).
-- Where several documents describe the same meeting (another rendition, a reprint),
-- the views read the meeting once, from its latest document (meeting_documents).

-- wareki(date): 令和N年M月D日 (元年 for the first year of an era).
CREATE OR REPLACE MACRO wareki(d) AS
    CASE
        WHEN d IS NULL THEN NULL
        WHEN d >= DATE '2019-05-01' THEN '令和' || CASE WHEN year(d) = 2019 THEN '元' ELSE (year(d) - 2018)::VARCHAR END
        WHEN d >= DATE '1989-01-08' THEN '平成' || CASE WHEN year(d) = 1989 THEN '元' ELSE (year(d) - 1988)::VARCHAR END
        WHEN d >= DATE '1926-12-25' THEN '昭和' || CASE WHEN year(d) = 1926 THEN '元' ELSE (year(d) - 1925)::VARCHAR END
        WHEN d >= DATE '1912-07-30' THEN '大正' || CASE WHEN year(d) = 1912 THEN '元' ELSE (year(d) - 1911)::VARCHAR END
        ELSE '明治' || CASE WHEN year(d) = 1868 THEN '元' ELSE (year(d) - 1867)::VARCHAR END
    END || '年' || month(d)::VARCHAR || '月' || day(d)::VARCHAR || '日';
COMMENT ON MACRO wareki IS 'Render a DATE in the Japanese era calendar, e.g. wareki(DATE ''2022-01-20'') = 令和4年1月20日';

CREATE OR REPLACE VIEW meeting_documents AS
SELECT * EXCLUDE (rn) FROM (
    SELECT d.*, row_number() OVER (
        PARTITION BY coalesce(d.meeting_body, d.doc_id), coalesce(d.held_on::VARCHAR, d.doc_id)
        ORDER BY d.ingested_at DESC, d.doc_id DESC) AS rn
    FROM documents d
) WHERE rn = 1;
COMMENT ON VIEW meeting_documents IS 'One document per meeting (meeting_body, held_on): the latest ingested; other renditions and reprints are left out so meetings are counted once';

CREATE OR REPLACE VIEW attendance AS
SELECT d.held_on, wareki(d.held_on) AS held_on_wareki, d.fiscal_year, d.session_no, d.title AS meeting,
       a.person_id, coalesce(p.name, a.name) AS person, a.name AS name_as_printed, a.side, a.post,
       a.by_proxy, a.proxy_name, a.proxy_post, a.doc_id, a.page
FROM attendees a
JOIN meeting_documents d USING (doc_id)
LEFT JOIN persons p USING (person_id);
COMMENT ON VIEW attendance IS 'Who attended which meeting (one row per attendee per meeting), with the person across years (person_id, persons.name)';

CREATE OR REPLACE VIEW post_holders AS
SELECT post, side, person_id, person,
       min(held_on) AS first_seen, max(held_on) AS last_seen, count(*) AS meetings,
       bool_or(by_proxy) AS ever_by_proxy
FROM attendance
GROUP BY post, side, person_id, person;
COMMENT ON VIEW post_holders IS 'Who held each post (役職) when: first and last meeting seen in that post';

CREATE OR REPLACE VIEW wg_activity AS
SELECT w.item_id, i.title AS item, w.fiscal_year, count(*) AS meetings,
       count(*) FILTER (WHERE NOT w.planned) AS held, count(*) FILTER (WHERE w.planned) AS planned,
       min(w.held_on) AS first_meeting, max(w.held_on) AS last_meeting,
       list(DISTINCT w.track ORDER BY w.track) FILTER (WHERE w.track IS NOT NULL) AS tracks,
       any_value(w.doc_id) AS doc_id
FROM (
    -- a later packet restates a fiscal year's WG dates (a planned 2月予定 becomes the 3/29 it was held on):
    -- per item and fiscal year, read the dates of the latest meeting that reports that year
    SELECT * EXCLUDE (rk) FROM (
        SELECT w.*, dense_rank() OVER (PARTITION BY w.item_id, w.fiscal_year
                                       ORDER BY d.held_on DESC, d.doc_id DESC) AS rk
        FROM wg_meetings w JOIN meeting_documents d USING (doc_id)
        WHERE w.held_on IS NOT NULL
    ) WHERE rk = 1
) w
LEFT JOIN items i USING (item_id)
GROUP BY w.item_id, i.title, w.fiscal_year;
COMMENT ON VIEW wg_activity IS 'Working-group meetings per item and fiscal year, as reported by the latest packet that covers that year (planned = announced, not yet held)';

CREATE OR REPLACE VIEW item_timeline AS
WITH years AS (
    -- several packets speak of one item-year (this year's results, next year's list): the latest
    -- document decides, but a field it leaves empty keeps what an earlier one stated
    SELECT y.item_id, y.fiscal_year,
           arg_max(y.selected, d.held_on) AS selected,
           arg_max(y.change, d.held_on) FILTER (WHERE y.change IS NOT NULL) AS change,
           arg_max(y.proposers, d.held_on) FILTER (WHERE len(y.proposers) > 0) AS proposers,
           arg_max(y.departments, d.held_on) FILTER (WHERE len(y.departments) > 0) AS departments,
           arg_max(y.reason, d.held_on) FILTER (WHERE y.reason IS NOT NULL) AS reason,
           max(d.held_on) AS reported_on, arg_max(y.doc_id, d.held_on) AS doc_id
    FROM item_years y JOIN meeting_documents d USING (doc_id)
    GROUP BY y.item_id, y.fiscal_year
), results AS (
    SELECT r.item_id, r.fiscal_year, r.doc_id,
           string_agg(coalesce(r.section || ' / ', '') || r.topic || ': ' || coalesce(r.results, ''), chr(10)
                      ORDER BY r.seq) AS results,
           string_agg(coalesce(r.section || ' / ', '') || r.topic || ': ' || coalesce(r.next_steps, ''), chr(10)
                      ORDER BY r.seq) AS next_steps,
           any_value(d.held_on) AS held_on
    FROM item_results r JOIN meeting_documents d USING (doc_id)
    GROUP BY r.item_id, r.fiscal_year, r.doc_id
)
SELECT y.item_id, i.title AS item, y.fiscal_year, y.selected, y.change, y.proposers, y.departments, y.reason,
       r.results, r.next_steps, y.reported_on, y.doc_id
FROM years y
LEFT JOIN items i USING (item_id)
LEFT JOIN (
    SELECT * EXCLUDE (rn) FROM (
        SELECT *, row_number() OVER (PARTITION BY item_id, fiscal_year ORDER BY held_on DESC, doc_id DESC) AS rn
        FROM results
    ) WHERE rn = 1
) r ON r.item_id = y.item_id AND r.fiscal_year = y.fiscal_year;
COMMENT ON VIEW item_timeline IS 'Each item by fiscal year: selected or not, 新規/継続/終了, proposers, departments, and the results and next steps reported for that year';

CREATE OR REPLACE VIEW kpi_series AS
SELECT k.item_id, i.title AS item, k.metric, k.scope, k.segment, k.unit, k.kind,
       coalesce(k.as_of, d.held_on) AS as_of, k.as_of IS NULL AS as_of_is_meeting_date,
       k.value, k.rank, d.held_on AS reported_on, d.fiscal_year, k.context, k.doc_id, k.page
FROM kpis k
JOIN meeting_documents d USING (doc_id)
LEFT JOIN items i USING (item_id);
COMMENT ON VIEW kpi_series IS 'Every reported figure with a date to chart it on (as_of, else the meeting date), one metric across documents';
