/*
 * The schema as numbered migrations. `init` applies those the file has not
 * seen (PRAGMA user_version) in one transaction. Never edit a released
 * migration: add the next one. Nothing is ever deleted, so tables have no
 * ON DELETE and corrections are new rows.
 */
#include <stddef.h>
#include "schema.h"

static const char *const migrations[] = {
	/* 1: users, commissioners, providers, concerns, ratings, audit */
	/* name_key is the name case-folded in C (engine/util/fold.c): SQLite's NOCASE
	 * folds ASCII only, and "Tŷ Derw" must equal "TŶ DERW". */
	"CREATE TABLE users ("
	"  id TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL COLLATE NOCASE,"
	"  name_key TEXT NOT NULL UNIQUE,"
	"  roles TEXT NOT NULL,"
	"  created TEXT NOT NULL);"
	"CREATE TABLE commissioners ("
	"  id TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL COLLATE NOCASE,"
	"  name_key TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL,"
	"  is_lead INTEGER NOT NULL DEFAULT 0,"
	"  created TEXT NOT NULL);"
	"CREATE UNIQUE INDEX commissioners_one_lead ON commissioners(is_lead) WHERE is_lead = 1;"
	"CREATE TABLE providers ("
	"  id TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL COLLATE NOCASE,"
	"  name_key TEXT NOT NULL UNIQUE,"
	"  type TEXT NOT NULL,"
	"  regulator_id TEXT,"
	"  in_house INTEGER NOT NULL DEFAULT 0,"
	"  grp TEXT COLLATE NOCASE,"
	"  grp_key TEXT,"
	"  status TEXT NOT NULL DEFAULT 'active',"
	"  created TEXT NOT NULL);"
	"CREATE INDEX providers_grp ON providers(grp_key);"
	"CREATE TABLE provider_commissioners ("
	"  provider_id TEXT NOT NULL REFERENCES providers(id),"
	"  commissioner_id TEXT NOT NULL REFERENCES commissioners(id),"
	"  PRIMARY KEY (provider_id, commissioner_id));"
	"CREATE TABLE concerns ("
	"  id TEXT PRIMARY KEY,"
	"  provider_id TEXT NOT NULL REFERENCES providers(id),"
	"  received TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  team TEXT NOT NULL,"
	"  category TEXT,"
	"  summary TEXT NOT NULL,"
	"  likelihood INTEGER,"           /* current; NULL for positive feedback */
	"  first_likelihood INTEGER,"     /* as first rated, for the closure rule */
	"  impact INTEGER,"               /* never changes once recorded */
	"  status TEXT NOT NULL DEFAULT 'open',"
	"  pova_ref TEXT,"
	"  subject_ref TEXT,"
	"  positive INTEGER NOT NULL DEFAULT 0,"
	"  logged_by TEXT NOT NULL,"
	"  resolved TEXT,"
	"  resolve_note TEXT,"
	"  created TEXT NOT NULL);"
	"CREATE INDEX concerns_provider ON concerns(provider_id, status);"
	"CREATE INDEX concerns_received ON concerns(received);"
	"CREATE TABLE concern_ratings ("
	"  id INTEGER PRIMARY KEY,"
	"  concern_id TEXT NOT NULL REFERENCES concerns(id),"
	"  rated_on TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  likelihood INTEGER NOT NULL,"
	"  impact INTEGER NOT NULL,"
	"  note TEXT);"
	"CREATE INDEX concern_ratings_concern ON concern_ratings(concern_id);"
	"CREATE TABLE audit ("
	"  seq INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  entity TEXT,"
	"  details TEXT NOT NULL,"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL);"
	"CREATE INDEX audit_entity ON audit(entity);",

	/*
	 * 2: cases, their stage history, the action plan. Meetings and placement
	 * control come in later migrations, with the engineers who build them.
	 * "trigger" is quoted everywhere because it is an SQL keyword.
	 */
	"CREATE TABLE cases ("
	"  id TEXT PRIMARY KEY,"
	"  provider_id TEXT NOT NULL REFERENCES providers(id),"
	"  stage TEXT NOT NULL,"
	"  opened TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  opened_by TEXT NOT NULL,"
	"  \"trigger\" TEXT,"              /* of the last escalation */
	"  trigger_note TEXT,"
	"  chair TEXT REFERENCES users(id),"
	"  escalated TEXT,"
	"  outcome TEXT,"
	"  closed TEXT,"
	"  close_rationale TEXT,"
	"  agreed_by TEXT,"               /* organisations, comma-separated */
	"  plan_version INTEGER NOT NULL DEFAULT 0,"
	"  plan_started TEXT,"
	"  plan_updated TEXT);"
	/* At most one open case per provider, enforced by the file itself. */
	"CREATE UNIQUE INDEX cases_one_open ON cases(provider_id) WHERE stage <> 'closed';"
	"CREATE INDEX cases_provider ON cases(provider_id);"
	"CREATE TABLE case_events ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  on_date TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  command TEXT NOT NULL,"
	"  from_stage TEXT,"              /* NULL for `case open` */
	"  to_stage TEXT NOT NULL,"
	"  rationale TEXT,"
	"  override TEXT);"               /* the --override reason, when one was needed */
	"CREATE INDEX case_events_case ON case_events(case_id);"
	"CREATE TABLE actions ("
	"  id TEXT PRIMARY KEY,"
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  concern_id TEXT NOT NULL REFERENCES concerns(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('CA', 'DA')),"
	"  improvement TEXT NOT NULL,"
	"  owner TEXT NOT NULL,"
	"  due TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'not_started',"
	"  completed TEXT,"
	"  created TEXT NOT NULL,"
	"  created_by TEXT NOT NULL);"
	"CREATE INDEX actions_case ON actions(case_id);"
	"CREATE INDEX actions_concern ON actions(concern_id);"
	"CREATE TABLE action_extensions ("
	"  id INTEGER PRIMARY KEY,"
	"  action_id TEXT NOT NULL REFERENCES actions(id),"
	"  made TEXT NOT NULL,"
	"  from_due TEXT NOT NULL,"
	"  to_due TEXT NOT NULL,"
	"  rationale TEXT NOT NULL,"
	"  actor TEXT NOT NULL);"
	"CREATE INDEX action_extensions_action ON action_extensions(action_id);"
	"CREATE TABLE action_evidence ("
	"  id INTEGER PRIMARY KEY,"
	"  action_id TEXT NOT NULL REFERENCES actions(id),"
	"  on_date TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  actor TEXT NOT NULL);"
	"CREATE INDEX action_evidence_action ON action_evidence(action_id);",

	/*
	 * 3: the monthly quality-assurance meeting and the snapshot of the watch
	 * list it worked from, so the next list can show trend and what is new.
	 */
	"CREATE TABLE qa_meetings ("
	"  id TEXT PRIMARY KEY,"
	"  date TEXT NOT NULL UNIQUE,"
	"  present TEXT NOT NULL,"        /* JSON array of names */
	"  created_by TEXT NOT NULL,"
	"  created TEXT NOT NULL);"
	"CREATE TABLE qa_snapshot ("
	"  qa_id TEXT NOT NULL REFERENCES qa_meetings(id),"
	"  provider_id TEXT NOT NULL REFERENCES providers(id),"
	"  band TEXT,"
	"  max_score INTEGER NOT NULL,"
	"  stage TEXT,"
	"  PRIMARY KEY (qa_id, provider_id));",

	/*
	 * 4: placement control (SPEC §2, §6) and the notification checklist.
	 * placement_controls is a history per (provider, commissioner): the row
	 * in effect on a date is the latest one that started on or before it, so
	 * a decision is never edited, only followed by another; its end_date is
	 * set by the restart that ends it. placements are what was
	 * actually made, counted against a restart's caps by period.
	 */
	"CREATE TABLE placement_controls ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id TEXT NOT NULL REFERENCES providers(id),"
	"  commissioner_id TEXT NOT NULL REFERENCES commissioners(id),"
	"  status TEXT NOT NULL CHECK (status IN ('open', 'suspended', 'restricted')),"
	"  kind TEXT CHECK (kind IN ('mandatory', 'voluntary')),"   /* suspensions */
	"  reason TEXT NOT NULL,"
	"  meeting_date TEXT,"            /* the PPM that recommended it */
	"  start_date TEXT NOT NULL,"
	"  end_date TEXT,"                /* the day a restart ended it */
	"  decided_by TEXT NOT NULL,"
	"  case_id TEXT REFERENCES cases(id),"
	"  max_admissions INTEGER,"       /* conditions of a restart; NULL: no cap */
	"  admissions_per TEXT CHECK (admissions_per IN ('week', 'month')),"
	"  max_packages INTEGER,"         /* per ISO week */
	"  max_hours REAL,"               /* new hours of care per ISO week */
	"  respite_allowed INTEGER NOT NULL DEFAULT 1,"
	"  override TEXT,"
	"  created TEXT NOT NULL);"
	"CREATE INDEX placement_controls_in_effect"
	"  ON placement_controls(provider_id, commissioner_id, start_date);"
	"CREATE INDEX placement_controls_case ON placement_controls(case_id);"
	"CREATE TABLE placements ("
	"  id TEXT PRIMARY KEY,"
	"  provider_id TEXT NOT NULL REFERENCES providers(id),"
	"  commissioner_id TEXT NOT NULL REFERENCES commissioners(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('admission', 'package')),"
	"  hours REAL,"
	"  respite INTEGER NOT NULL DEFAULT 0,"
	"  on_date TEXT NOT NULL,"
	"  recorded_by TEXT NOT NULL,"
	"  created TEXT NOT NULL);"
	"CREATE INDEX placements_period ON placements(provider_id, commissioner_id, on_date);"
	"CREATE TABLE tasks ("
	"  id TEXT PRIMARY KEY,"
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  event TEXT NOT NULL,"
	"  description TEXT NOT NULL,"
	"  who_to_tell TEXT NOT NULL,"
	"  letter TEXT,"                  /* the letter template that does it, if any */
	"  created TEXT NOT NULL,"
	"  done TEXT,"
	"  done_by TEXT);"
	"CREATE INDEX tasks_case ON tasks(case_id, done);",

	/*
	 * 5: provider performance meetings (SPEC §2 Meeting) and who attended
	 * them. Recording an attendee records their acknowledgement of the
	 * confidentiality statement, hence the default. `overall` is the agreed
	 * level (a band name) or NULL when the meeting did not set one. The
	 * concerns index serves the flag windows (engine/domain/flags.c): concerns of a
	 * provider received between two dates, without scanning its history.
	 */
	"CREATE TABLE meetings ("
	"  id TEXT PRIMARY KEY,"
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  kind TEXT NOT NULL DEFAULT 'ppm' CHECK (kind IN ('ppm')),"
	"  date TEXT NOT NULL,"
	"  chair TEXT NOT NULL REFERENCES users(id),"
	"  provider_attended INTEGER NOT NULL DEFAULT 0,"
	"  overall TEXT,"
	"  trend TEXT NOT NULL CHECK (trend IN ('increased', 'same', 'decreased')),"
	"  decisions TEXT,"
	"  next_date TEXT,"
	"  created TEXT NOT NULL,"
	"  created_by TEXT NOT NULL);"
	"CREATE INDEX meetings_case ON meetings(case_id, date);"
	"CREATE TABLE meeting_attendees ("
	"  id INTEGER PRIMARY KEY,"
	"  meeting_id TEXT NOT NULL REFERENCES meetings(id),"
	"  name TEXT NOT NULL,"
	"  org TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  acknowledged INTEGER NOT NULL DEFAULT 1);"
	"CREATE INDEX meeting_attendees_meeting ON meeting_attendees(meeting_id);"
	"CREATE INDEX concerns_provider_received ON concerns(provider_id, received);",

	/*
	 * 6: indexes for the watch list's set-wise queries, so they read what is
	 * open or recent rather than every concern ever logged (measured in
	 * docs/BENCHMARKS.md). status and positive are index columns, not only
	 * the partial index's condition, so that SQLite counts them as covered.
	 * The two led by `received` serve range scans; the queries that group by
	 * provider write `GROUP BY +provider_id` so the grouping does not pull
	 * the planner back to a provider-ordered scan of all history.
	 */
	"CREATE INDEX concerns_open ON concerns(provider_id, status, positive, likelihood, impact,"
	"  received, source) WHERE status = 'open';"
	"CREATE INDEX concerns_received_cover ON concerns(received, provider_id, positive, source);"
	"CREATE INDEX concerns_pova ON concerns(received, provider_id)"
	"  WHERE source = 'pova_referral';",

	/*
	 * 7: the lock of a placement cap. Recording a placement against a
	 * control bumps its placements_recorded (an UPDATE of that row) before
	 * counting the period's placements, so with real concurrent writers a
	 * second one blocks on the row until the first commits and then counts
	 * its placement: the count-then-insert cannot overshoot the cap.
	 * (SQLite's BEGIN IMMEDIATE serialises writers already.)
	 */
	"ALTER TABLE placement_controls ADD COLUMN placements_recorded INTEGER NOT NULL DEFAULT 0;",

	/*
	 * 8: a sequence column where order of entry breaks ties, so no query
	 * leans on SQLite's rowid: filled for the rows there are in the order
	 * they were entered, then kept by a trigger that gives a new row its
	 * rowid (rows are never deleted, so rowids only grow; the trigger costs
	 * one primary-key update and needs no index, so bulk loads that drop
	 * indexes stay linear). A second backend declares seq an identity
	 * column instead. And "one meeting per case per date" stated by the
	 * file itself, so it holds with concurrent writers; the unique index
	 * serves what meetings_case did.
	 */
	"ALTER TABLE providers ADD COLUMN seq INTEGER;"
	"UPDATE providers SET seq = rowid;"
	"CREATE TRIGGER providers_seq AFTER INSERT ON providers WHEN NEW.seq IS NULL BEGIN"
	"  UPDATE providers SET seq = NEW.rowid WHERE rowid = NEW.rowid; END;"
	"ALTER TABLE concerns ADD COLUMN seq INTEGER;"
	"UPDATE concerns SET seq = rowid;"
	"CREATE TRIGGER concerns_seq AFTER INSERT ON concerns WHEN NEW.seq IS NULL BEGIN"
	"  UPDATE concerns SET seq = NEW.rowid WHERE rowid = NEW.rowid; END;"
	"ALTER TABLE cases ADD COLUMN seq INTEGER;"
	"UPDATE cases SET seq = rowid;"
	"CREATE TRIGGER cases_seq AFTER INSERT ON cases WHEN NEW.seq IS NULL BEGIN"
	"  UPDATE cases SET seq = NEW.rowid WHERE rowid = NEW.rowid; END;"
	"ALTER TABLE actions ADD COLUMN seq INTEGER;"
	"UPDATE actions SET seq = rowid;"
	"CREATE TRIGGER actions_seq AFTER INSERT ON actions WHEN NEW.seq IS NULL BEGIN"
	"  UPDATE actions SET seq = NEW.rowid WHERE rowid = NEW.rowid; END;"
	"ALTER TABLE meetings ADD COLUMN seq INTEGER;"
	"UPDATE meetings SET seq = rowid;"
	"CREATE TRIGGER meetings_seq AFTER INSERT ON meetings WHEN NEW.seq IS NULL BEGIN"
	"  UPDATE meetings SET seq = NEW.rowid WHERE rowid = NEW.rowid; END;"
	"ALTER TABLE tasks ADD COLUMN seq INTEGER;"
	"UPDATE tasks SET seq = rowid;"
	"CREATE TRIGGER tasks_seq AFTER INSERT ON tasks WHEN NEW.seq IS NULL BEGIN"
	"  UPDATE tasks SET seq = NEW.rowid WHERE rowid = NEW.rowid; END;"
	"ALTER TABLE qa_meetings ADD COLUMN seq INTEGER;"
	"UPDATE qa_meetings SET seq = rowid;"
	"CREATE TRIGGER qa_meetings_seq AFTER INSERT ON qa_meetings WHEN NEW.seq IS NULL BEGIN"
	"  UPDATE qa_meetings SET seq = NEW.rowid WHERE rowid = NEW.rowid; END;"
	"DROP INDEX meetings_case;"
	"CREATE UNIQUE INDEX meetings_one_per_date ON meetings(case_id, date);",

	/*
	 * 9: the audit trail's reach and the rules in force (SPEC §2, §11).
	 * An entry's successor is unique: two writers that both read the same
	 * last entry cannot both append after it, whatever the backend's
	 * locking (seq, the primary key, is previous + 1 for the same reason).
	 * `keyed` entries carry an HMAC under the key beside the database;
	 * `seal` maps the id of every entity row the entry's command wrote to
	 * the SHA-256 of that row, so `audit verify --deep` finds a row edited
	 * behind the engine's back; `date_used` is the date a write recorded
	 * when --today moved it from the clock's. rules_pinned holds the rules
	 * in force, latest last, with the templates they replaced.
	 */
	"ALTER TABLE audit ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE audit ADD COLUMN seal TEXT;"
	"ALTER TABLE audit ADD COLUMN date_used TEXT;"
	"CREATE UNIQUE INDEX audit_one_successor ON audit(prev_hash);"
	"CREATE TABLE rules_pinned ("
	"  seq INTEGER PRIMARY KEY,"
	"  text TEXT NOT NULL,"           /* the rules file as given ('' for the default) */
	"  source TEXT NOT NULL,"         /* the file's path, or 'built-in' */
	"  sha256 TEXT NOT NULL,"
	"  templates TEXT NOT NULL,"      /* JSON: template path -> content */
	"  set_at TEXT NOT NULL,"
	"  set_by TEXT NOT NULL);",

	/*
	 * 10: the regulator's published ratings (import ratings), a history per
	 * provider that is only ever appended to: the same rating published on
	 * the same date is kept once, with the date it was first imported.
	 */
	"CREATE TABLE regulator_ratings ("
	"  id INTEGER PRIMARY KEY,"
	"  provider_id TEXT NOT NULL REFERENCES providers(id),"
	"  regulator TEXT NOT NULL,"        /* CQC, CIW */
	"  location_id TEXT NOT NULL,"      /* the regulator's id, as in the file */
	"  rating TEXT NOT NULL,"           /* the regulator's words: Good, Inadequate... */
	"  published TEXT NOT NULL,"
	"  imported TEXT NOT NULL,"
	"  source TEXT NOT NULL,"           /* the file's name */
	"  actor TEXT NOT NULL);"
	"CREATE UNIQUE INDEX regulator_ratings_once"
	"  ON regulator_ratings(provider_id, published, rating);",

	/*
	 * 11: web login (SPEC §12): a password per user as an argon2id string;
	 * sessions named by the SHA-256 of their token (the token itself is
	 * only in the browser); every login attempt, per user name and per
	 * address, for the throttle. Times are Unix seconds.
	 */
	"CREATE TABLE credentials ("
	"  user_id TEXT PRIMARY KEY REFERENCES users(id),"
	"  hash TEXT NOT NULL,"
	"  set_at TEXT NOT NULL);"
	"CREATE TABLE sessions ("
	"  id TEXT PRIMARY KEY,"
	"  user_id TEXT NOT NULL REFERENCES users(id),"
	"  created INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  ended INTEGER,"
	"  addr TEXT);"
	"CREATE TABLE login_attempts ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  ok INTEGER NOT NULL);"
	"CREATE INDEX login_attempts_key ON login_attempts(key, ok, at);",

	/*
	 * 12: references people can say aloud (SPEC §2 "References"): C-0042,
	 * A-0007, K-0003, M-0012. The rows there are get theirs in order of
	 * entry; a new row gets the next from its kind's counter, which only
	 * grows, so a reference is never given twice even if a row went.
	 */
	"CREATE TABLE ref_counters (kind TEXT PRIMARY KEY, last INTEGER NOT NULL);"
	"ALTER TABLE concerns ADD COLUMN ref TEXT;"
	"ALTER TABLE actions ADD COLUMN ref TEXT;"
	"ALTER TABLE cases ADD COLUMN ref TEXT;"
	"ALTER TABLE meetings ADD COLUMN ref TEXT;"
	"UPDATE concerns SET ref = printf('C-%04d', r.n) FROM (SELECT id AS rid,"
	"  row_number() OVER (ORDER BY seq) AS n FROM concerns) r WHERE r.rid = concerns.id;"
	"INSERT INTO ref_counters (kind, last) SELECT 'C', count(*) FROM concerns;"
	"CREATE UNIQUE INDEX concerns_ref ON concerns(ref);"
	"CREATE TRIGGER concerns_ref AFTER INSERT ON concerns WHEN NEW.ref IS NULL BEGIN"
	"  UPDATE ref_counters SET last = last + 1 WHERE kind = 'C';"
	"  UPDATE concerns SET ref = printf('C-%04d', (SELECT last FROM ref_counters"
	"    WHERE kind = 'C')) WHERE rowid = NEW.rowid; END;"
	"UPDATE actions SET ref = printf('A-%04d', r.n) FROM (SELECT id AS rid,"
	"  row_number() OVER (ORDER BY seq) AS n FROM actions) r WHERE r.rid = actions.id;"
	"INSERT INTO ref_counters (kind, last) SELECT 'A', count(*) FROM actions;"
	"CREATE UNIQUE INDEX actions_ref ON actions(ref);"
	"CREATE TRIGGER actions_ref AFTER INSERT ON actions WHEN NEW.ref IS NULL BEGIN"
	"  UPDATE ref_counters SET last = last + 1 WHERE kind = 'A';"
	"  UPDATE actions SET ref = printf('A-%04d', (SELECT last FROM ref_counters"
	"    WHERE kind = 'A')) WHERE rowid = NEW.rowid; END;"
	"UPDATE cases SET ref = printf('K-%04d', r.n) FROM (SELECT id AS rid,"
	"  row_number() OVER (ORDER BY seq) AS n FROM cases) r WHERE r.rid = cases.id;"
	"INSERT INTO ref_counters (kind, last) SELECT 'K', count(*) FROM cases;"
	"CREATE UNIQUE INDEX cases_ref ON cases(ref);"
	"CREATE TRIGGER cases_ref AFTER INSERT ON cases WHEN NEW.ref IS NULL BEGIN"
	"  UPDATE ref_counters SET last = last + 1 WHERE kind = 'K';"
	"  UPDATE cases SET ref = printf('K-%04d', (SELECT last FROM ref_counters"
	"    WHERE kind = 'K')) WHERE rowid = NEW.rowid; END;"
	"UPDATE meetings SET ref = printf('M-%04d', r.n) FROM (SELECT id AS rid,"
	"  row_number() OVER (ORDER BY seq) AS n FROM meetings) r WHERE r.rid = meetings.id;"
	"INSERT INTO ref_counters (kind, last) SELECT 'M', count(*) FROM meetings;"
	"CREATE UNIQUE INDEX meetings_ref ON meetings(ref);"
	"CREATE TRIGGER meetings_ref AFTER INSERT ON meetings WHEN NEW.ref IS NULL BEGIN"
	"  UPDATE ref_counters SET last = last + 1 WHERE kind = 'M';"
	"  UPDATE meetings SET ref = printf('M-%04d', (SELECT last FROM ref_counters"
	"    WHERE kind = 'M')) WHERE rowid = NEW.rowid; END;",

	/*
	 * An action item's status history, so a record printed later shows each
	 * item as it stood on its day (SPEC §2 "History as it stood"): a row per
	 * change, dated. Items older than this migration get what their row
	 * tells: not started when added, ongoing from their first evidence,
	 * completed on their completion date. The audit index answers whether
	 * anything was recorded for a day after the one asked about.
	 */
	"CREATE TABLE action_status ("
	"  id INTEGER PRIMARY KEY,"
	"  action_id TEXT NOT NULL REFERENCES actions(id),"
	"  on_date TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  actor TEXT NOT NULL);"
	"CREATE INDEX action_status_action ON action_status(action_id, on_date);"
	/* "Was anything recorded for a later day?": the past is read through
	 * views only when it differs from the present. */
	"CREATE INDEX audit_date_used ON audit(date_used);"
	"INSERT INTO action_status (action_id, on_date, status, actor)"
	"  SELECT id, created, 'not_started', created_by FROM actions ORDER BY seq;"
	"INSERT INTO action_status (action_id, on_date, status, actor)"
	"  SELECT a.id, COALESCE((SELECT min(e.on_date) FROM action_evidence e"
	"    WHERE e.action_id = a.id), a.created), 'ongoing', a.created_by FROM actions a"
	"  WHERE a.status = 'ongoing' ORDER BY a.seq;"
	"INSERT INTO action_status (action_id, on_date, status, actor)"
	"  SELECT id, completed, 'completed', created_by FROM actions"
	"  WHERE status = 'completed' AND completed IS NOT NULL ORDER BY seq;",

	/*
	 * 14: corrections, never deletion (SPEC §2 "Corrections"). Each field a
	 * correction changes is a row: what it was, what it is, why, by whom
	 * and when; `provider_id` puts it on the provider's timeline, `label`
	 * is how a person names the entity (C-0042, a provider's name). A
	 * withdrawn concern or action keeps its row with status 'withdrawn'; a
	 * concern logged again `replaces` the withdrawn one; a closed provider
	 * keeps the day it closed; a cancelled placement the day it was
	 * cancelled; a commissioner taken off a provider the day it was.
	 */
	"CREATE TABLE corrections ("
	"  id INTEGER PRIMARY KEY,"
	"  entity TEXT NOT NULL,"
	"  entity_id TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  provider_id TEXT REFERENCES providers(id),"
	"  field TEXT NOT NULL,"
	"  before TEXT,"
	"  after TEXT,"
	"  reason TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  on_date TEXT NOT NULL);"
	"CREATE INDEX corrections_entity ON corrections(entity_id);"
	"CREATE INDEX corrections_provider ON corrections(provider_id);"
	"ALTER TABLE concerns ADD COLUMN replaces TEXT;"
	"ALTER TABLE providers ADD COLUMN closed TEXT;"
	"ALTER TABLE placements ADD COLUMN cancelled TEXT;"
	"ALTER TABLE provider_commissioners ADD COLUMN removed TEXT;",

	/*
	 * 15: The watch list's POVA window as a covering range scan (issue 19):
	 * concerns_pova lacked `positive`, so every referral of the year was
	 * read from the table. source is a column as well as the condition so
	 * that SQLite counts the index as covering (see 6). IF (NOT) EXISTS:
	 * running it twice does no harm. `status` is carried too, because a
	 * withdrawn concern (14) counts in no window; concerns_received_cover
	 * is replaced for the same reason.
	 */
	"DROP INDEX IF EXISTS concerns_pova;"
	"CREATE INDEX IF NOT EXISTS concerns_pova_cover"
	"  ON concerns(received, provider_id, positive, source, status)"
	"  WHERE source = 'pova_referral';"
	"DROP INDEX IF EXISTS concerns_received_cover;"
	"CREATE INDEX IF NOT EXISTS concerns_window_cover"
	"  ON concerns(received, provider_id, positive, source, status);",

	/*
	 * 16: users can be deactivated (kept, so their past records keep their
	 * name); a task is ticked off with a note; each user may have a secret
	 * calendar feed URL, kept as the SHA-256 of its token.
	 */
	"ALTER TABLE users ADD COLUMN deactivated TEXT;"
	"ALTER TABLE users ADD COLUMN deactivated_reason TEXT;"
	"ALTER TABLE tasks ADD COLUMN note TEXT;"
	"CREATE TABLE calendar_tokens ("
	"  hash TEXT PRIMARY KEY,"
	"  user_id TEXT NOT NULL UNIQUE REFERENCES users(id),"
	"  set_at TEXT NOT NULL);",

	/*
	 * 17: the paperwork as the protocol runs it (issue 17). The lead
	 * commissioner's letterhead and signatory; a provider performance
	 * meeting's time, venue, apologies, minutes list, provider attendance
	 * (all/part/none), information-sharing decisions, disagreements and
	 * advice sought (lists as JSON arrays); an attendee's contact details;
	 * amendments to a meeting, each with before and after; a QA meeting's
	 * apologies, decisions and actions.
	 */
	"ALTER TABLE commissioners ADD COLUMN address TEXT;"
	"ALTER TABLE commissioners ADD COLUMN phone TEXT;"
	"ALTER TABLE commissioners ADD COLUMN email TEXT;"
	"ALTER TABLE commissioners ADD COLUMN department TEXT;"
	"ALTER TABLE commissioners ADD COLUMN signatory TEXT;"
	"ALTER TABLE commissioners ADD COLUMN signatory_title TEXT;"
	"ALTER TABLE meetings ADD COLUMN time TEXT;"
	"ALTER TABLE meetings ADD COLUMN venue TEXT;"
	"ALTER TABLE meetings ADD COLUMN apologies TEXT;"
	"ALTER TABLE meetings ADD COLUMN minutes_to TEXT;"
	"ALTER TABLE meetings ADD COLUMN attendance TEXT;"  /* all, part, none */
	"ALTER TABLE meetings ADD COLUMN sharing TEXT;"
	"ALTER TABLE meetings ADD COLUMN disagreements TEXT;"
	"ALTER TABLE meetings ADD COLUMN advice TEXT;"
	"UPDATE meetings SET attendance = CASE provider_attended WHEN 1 THEN 'all' ELSE 'none' END;"
	"ALTER TABLE meeting_attendees ADD COLUMN contact TEXT;"
	"CREATE TABLE meeting_amendments ("
	"  id INTEGER PRIMARY KEY,"
	"  meeting_id TEXT NOT NULL REFERENCES meetings(id),"
	"  date TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  before TEXT NOT NULL,"
	"  after TEXT NOT NULL);"
	"CREATE INDEX meeting_amendments_meeting ON meeting_amendments(meeting_id);"
	"ALTER TABLE meeting_attendees ADD COLUMN removed TEXT;"  /* replaced by an amendment */
	"ALTER TABLE meetings ADD COLUMN next_attendees TEXT;"
	"ALTER TABLE qa_meetings ADD COLUMN apologies TEXT;"
	"ALTER TABLE qa_meetings ADD COLUMN decisions TEXT;"
	"CREATE TABLE qa_actions ("
	"  id INTEGER PRIMARY KEY,"
	"  qa_id TEXT NOT NULL REFERENCES qa_meetings(id),"
	"  text TEXT NOT NULL,"
	"  owner TEXT NOT NULL,"
	"  due TEXT NOT NULL);"
	"CREATE INDEX qa_actions_qa ON qa_actions(qa_id);",

	/*
	 * 18: progress on a QA meeting's actions (protocol Appendix D: the next
	 * meeting reviews them), one dated row per report, never updated.
	 */
	"CREATE TABLE qa_action_progress ("
	"  id INTEGER PRIMARY KEY,"
	"  action_id INTEGER NOT NULL REFERENCES qa_actions(id),"
	"  date TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('ongoing', 'done')),"
	"  note TEXT,"
	"  actor TEXT NOT NULL);"
	"CREATE INDEX qa_action_progress_action ON qa_action_progress(action_id);",
};

const char *cw_schema_migration(int version)
{
	if (version < 1 || version > cw_schema_count())
		return NULL;
	return migrations[version - 1];
}

int cw_schema_count(void)
{
	return (int)(sizeof(migrations) / sizeof(migrations[0]));
}
