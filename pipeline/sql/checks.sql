-- Data tests: each query returns the offending rows (doc_id, page, message).
-- Findings are stored as warnings (stage 'check') after every ingest and listed by
-- `python -m pipeline check`. Each check starts with a `-- check: <name>` line.

-- check: documents_required
select doc_id, null::integer as page,
       'documents.' || c || ' is empty (the 次第 was not understood)' as message
from documents, (values ('held_on'), ('title'), ('meeting_body')) v(c)
where (c = 'held_on' and held_on is null) or (c = 'title' and title is null)
   or (c = 'meeting_body' and meeting_body is null);

-- check: weekday_matches_date
select doc_id, null::integer, 'printed weekday （' || weekday_text || '） does not match held_on ' || held_on
from documents
where weekday_text is not null and held_on is not null
  and weekday_text <> ['月','火','水','木','金','土','日'][isodow(held_on)];

-- check: same_meeting_twice
select doc_id, null::integer,
       'same meeting (' || coalesce(meeting_body, '?') || ', ' || held_on || ') also in ' ||
       array_to_string(duplicate_of_meeting, ', ') || ': likely another rendition or reprint'
from documents where len(coalesce(duplicate_of_meeting, [])) > 0;

-- check: attendees_unique_seq
select doc_id, min(page), 'attendees seq ' || seq || ' appears ' || count(*) || ' times'
from attendees group by doc_id, seq having count(*) > 1;

-- check: attendees_name_present
select doc_id, page, 'attendee without a name (post ' || coalesce(post, '?') || ')'
from attendees where name is null or trim(name) = '';

-- check: attendees_head_count
select doc_id, min(page), '出席者 ' || side || ': header states ' || side_stated_count || '名, rows found ' || count(*)
from attendees where side_stated_count is not null
group by doc_id, side, side_stated_count having count(*) <> side_stated_count;

-- check: pages_unique
select doc_id, page, 'page appears ' || count(*) || ' times' from pages group by doc_id, page having count(*) > 1;

-- check: wg_meetings_in_fiscal_year
select doc_id, page, 'WG date ' || held_on || ' (' || date_text || ') outside FY' || fiscal_year
from wg_meetings
where held_on is not null and fiscal_year is not null
  and (held_on < make_date(fiscal_year, 4, 1) or held_on > make_date(fiscal_year + 1, 3, 31));

-- check: wg_meetings_precision
select doc_id, page, 'wg_meetings.precision not accepted: ' || coalesce(precision, 'NULL')
from wg_meetings where precision is null or precision not in ('day', 'month', 'early', 'mid', 'late');

-- check: schedule_in_fiscal_year
select doc_id, page, 'schedule date ' || starts_on || ' (' || date_text || ') outside FY' || fiscal_year
from schedule
where starts_on is not null and fiscal_year is not null
  and (starts_on < make_date(fiscal_year, 4, 1) or starts_on > make_date(fiscal_year + 1, 3, 31));

-- check: item_years_change
select doc_id, page, 'item_years.change not accepted: ' || change
from item_years where change is not null and change not in ('新規', '継続', '終了');

-- check: kpis_kind
select doc_id, page, 'kpis.kind not accepted: ' || coalesce(kind, 'NULL')
from kpis where kind is null or kind not in ('actual', 'target');

-- check: facts_have_item
select doc_id, page, t || ' row without an item'
from (select doc_id, page, 'wg_meetings' as t from wg_meetings where item_id is null
      union all select doc_id, page, 'item_results' from item_results where item_id is null
      union all select doc_id, page, 'item_years' from item_years where item_id is null);
