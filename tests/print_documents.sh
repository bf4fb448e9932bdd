#!/bin/sh
# Render the HTML documents of a demo case and print each to PDF with
# headless Chromium. Not run by ctest.  usage: print_documents.sh BINARY [OUTDIR]
set -e
B=${1:?usage: $0 path/to/carewatch [outdir]}; OUT=${2:-./documents-pdf}
mkdir -p "$OUT"; DB="$OUT/demo.db"; rm -f "$DB"
c() { as=$1; shift; "$B" --db "$DB" --as "$as" "$@"; }
id() { sed -n 's/^  "id": *"\([^"]*\)".*/\1/p' | head -1; }
c alice init >/dev/null
c alice user add bob --role contracts >/dev/null
c alice user add dora --role director >/dev/null
c alice user add sam --role safeguarding >/dev/null
c alice commissioner add "County Council" --lead >/dev/null
c alice commissioner edit "County Council" --address "County Hall, Carewatch" --phone "01234 567890" \
    --email contracts@example.gov.uk --department "Social Care" --signatory "Morgan Hale" \
    --signatory-title "Contracts Manager" >/dev/null
c bob provider add "Oakwood <House>" --type care_home_residential --commissioner "County Council" >/dev/null
K=$(c bob --json --today 2026-11-01 case open --provider "Oakwood <House>" --reason complaints | id)
CK=$(c bob --json --today 2026-11-02 concern log --provider "Oakwood <House>" --source complaint --team commissioning --likelihood 3 --impact 3 --summary "medication late" | id)
P=$(c sam --json --today 2026-11-03 concern log --provider "Oakwood <House>" --source pova_referral --team safeguarding --likelihood 4 --impact 4 --summary bruising --pova-ref POVA-1 --subject SU-1 | id)
c bob --today 2026-11-04 case escalate "$K" --trigger pattern_of_issues --chair bob >/dev/null
A=$(c bob --json --today 2026-11-05 action add --case "$K" --concern "$CK" --kind CA --improvement "audit medication" --due 2026-11-20 --owner Manager | id)
c bob --today 2026-11-09 meeting record --case "$K" --date 2026-11-09 --chair bob --attendee "Bob|County Council|chair" --trend same --overall red --next 2026-11-16 >/dev/null
c bob --today 2026-11-12 action extend "$A" --due 2026-12-01 --rationale sickness >/dev/null
c bob --today 2026-11-13 action progress "$A" --status ongoing --evidence "audit 1 done" >/dev/null
c dora --today 2026-11-16 case suspend "$K" --commissioner "County Council" --kind mandatory --reason "unsafe staffing" --meeting 2026-11-09 >/dev/null
T=$(c bob --json task list --case "$K" --open | python3 -c 'import json, sys
print(next(t["id"] for t in json.load(sys.stdin) if t["event"] == "embargo_placed"
    and t["description"].startswith("Inform the regulator")))')
c bob --today 2026-11-17 task done "$T" >/dev/null
c bob --today 2026-11-16 meeting record --case "$K" --date 2026-11-16 --chair bob --attendee "Bob|County Council|chair" --trend decreased --next 2026-12-14 >/dev/null
c bob --today 2026-12-10 action progress "$A" --status completed --evidence "audits weekly" >/dev/null
c sam --today 2026-12-13 concern rate "$P" --likelihood 1 --note better >/dev/null
c dora --today 2026-12-14 case restart "$K" --commissioner "County Council" --reason "staffing restored" --max-admissions 2 --per week >/dev/null
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
for d in ppm-agenda ppm-attendance ppm-record action-plan suspension-form restart-form; do
	c sam --today 2026-12-15 document "$d" --case "$K" --format html > "$OUT/$d.html"
	if [ -n "$CHROME" ]; then
		"$CHROME" --headless --no-sandbox --disable-gpu --no-first-run \
			--disable-background-networking --no-pdf-header-footer --print-to-pdf="$OUT/$d.pdf" "file://$(realpath "$OUT/$d.html")" 2>/dev/null
		echo "$OUT/$d.pdf"
	else
		echo "$OUT/$d.html (no chromium: not printed)"
	fi
done
