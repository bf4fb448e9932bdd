"""calendar: an RFC 5545 feed read back with python3-icalendar: stable UIDs,
overdue items on today, no confidential reference for a viewer, links."""
import datetime
import os
import sys

import icalendar

sys.path.insert(0, os.path.dirname(__file__))
import cwrun  # noqa: E402

TODAY = datetime.date(2026, 11, 22)


def events(a, user, *args, env=None):
    p = a.run(user, "calendar", *args, env=env)
    assert p.stdout.startswith(b"BEGIN:VCALENDAR\r\n"), p.stdout[:40]
    cal = icalendar.Calendar.from_ical(p.stdout)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    out = {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev["UID"])
        assert uid not in out, "a UID twice: " + uid
        assert ev.get("DTSTAMP") is not None
        start = ev.decoded("DTSTART")
        assert isinstance(start, datetime.date) and not isinstance(start, datetime.datetime)
        assert ev.decoded("DTEND") == start + datetime.timedelta(days=1), "all day"
        out[uid] = ev
    return out, p.stdout


def casework(a):
    a.basic()
    a.concern("Ash House", 3, 4, "2026-09-01", today="2026-09-01")
    a.run("sam", "concern", "log", "--provider", "Ash House", "--source", "pova_referral",
          "--team", "safeguarding", "--likelihood", "3", "--impact", "3", "--summary",
          "Bruising unexplained", "--pova-ref", "POVA-SECRET-7", "--subject", "SU-SECRET-8",
          "--received", "2026-09-02", today="2026-09-02")
    a.run("kim", "case", "open", "--provider", "Ash House", "--reason", "r", today="2026-09-03")
    a.run("kim", "case", "escalate", "Ash House", "--trigger", "pattern_of_issues", "--chair",
          "kim", today="2026-09-04")
    a.run("kim", "meeting", "record", "--case", "Ash House", "--date", "2026-11-10", "--chair",
          "kim", "--attendee", "Kim|Council|Chair", "--trend", "same", "--overall", "amber",
          "--next", "2026-12-08", today="2026-11-10")
    concerns = {c["summary"]: c["id"] for c in a.json("kim", "concern", "list")}
    late = a.json("kim", "action", "add", "--case", "Ash House", "--concern",
                  concerns["Bruising unexplained"], "--kind", "CA", "--improvement",
                  "Body maps for every resident", "--due", "2026-11-15", "--owner", "Manager",
                  today="2026-11-10")
    soon = a.json("kim", "action", "add", "--case", "Ash House", "--concern",
                  concerns["concern"], "--kind", "DA", "--improvement", "Staff training",
                  "--due", "2026-12-20", "--owner", "Trainer", today="2026-11-10")
    far = a.json("kim", "action", "add", "--case", "Ash House", "--concern",
                 concerns["concern"], "--kind", "DA", "--improvement", "New care plans",
                 "--due", "2027-06-01", "--owner", "Deputy", today="2026-11-10")
    a.run("quinn", "qa", "record", "--date", "2026-11-05", today="2026-11-05")
    return late["id"], soon["id"], far["id"]


def test_feed(a):
    late, soon, far = casework(a)
    one, text1 = events(a, "kim")
    two, text2 = events(a, "kim")
    assert text1 == text2, "two runs on one day write the same feed"
    assert set(one) == set(two)
    by_kind = {}
    for uid, ev in one.items():
        by_kind.setdefault(str(ev["CATEGORIES"].cats[0]), []).append(ev)
        summary = str(ev["SUMMARY"])
        if not uid.startswith("qa-"):
            assert "Ash House" in summary and "(case " in summary, summary
    # The overdue action is an all-day event on today, saying so.
    ev = one["action-%s@carewatch" % late]
    assert ev.decoded("DTSTART") == TODAY and str(ev["SUMMARY"]).startswith("OVERDUE")
    assert "Was due 2026-11-15" in str(ev["DESCRIPTION"])
    assert one["action-%s@carewatch" % soon].decoded("DTSTART") == datetime.date(2026, 12, 20)
    assert "action-%s@carewatch" % far not in one, "beyond --days 60"
    ppm = [e for e in by_kind["ppm"]]
    assert len(ppm) == 1 and ppm[0].decoded("DTSTART") == datetime.date(2026, 12, 8)
    # Amber: reviewed within 42 days of the meeting of 10 November.
    review = by_kind["review"][0]
    assert review.decoded("DTSTART") == datetime.date(2026, 12, 22), review.decoded("DTSTART")
    # Monthly QA on the 5th after the last one.
    assert [e.decoded("DTSTART") for e in by_kind["qa"]] == [datetime.date(2026, 12, 5),
                                                             datetime.date(2027, 1, 5)]
    assert all("URL" not in e for e in one.values()), "no link without web.public_url"
    far_feed, _ = events(a, "kim", "--days", "366")
    assert "action-%s@carewatch" % far in far_feed
    # An extended due date moves the event; its UID stays.
    a.run("kim", "action", "extend", soon, "--due", "2027-01-10", "--rationale", "holidays")
    moved, _ = events(a, "kim")
    assert "action-%s@carewatch" % soon in moved
    assert moved["action-%s@carewatch" % soon].decoded("DTSTART") == datetime.date(2027, 1, 10)
    assert set(moved) == set(one)


def test_confidential(a):
    casework(a)
    _, viewer = events(a, "vic")
    assert b"POVA-SECRET" not in viewer and b"SU-SECRET" not in viewer
    assert b"[confidential]" in viewer
    _, made_for_viewer = events(a, "alice", "--user", "vic")
    assert b"POVA-SECRET" not in made_for_viewer
    # The one who may see it does: the feed follows the engine's redaction.
    _, safeguarding = events(a, "sam")
    assert b"POVA-SECRET-7" in safeguarding
    # A viewer cannot borrow another user's eyes.
    a.run("vic", "calendar", "--user", "sam", expect=5)
    a.run("alice", "calendar", "--user", "nobody", expect=3)
    a.run("vic", "calendar", "--days", "0", expect=2)


def test_links(a):
    casework(a)
    cfg = a.write("web.cfg", 'web = { public_url = "https://carewatch.example.gov.uk/"; };\n')
    # The rules in force are the database's: an admin sets them.
    a.run("alice", "rules", "set", cfg)
    evs, _ = events(a, "kim")
    case_id = a.json("kim", "case", "show", "Ash House")["id"]
    urls = {str(e["URL"]) for e in evs.values() if "URL" in e}
    assert urls == {"https://carewatch.example.gov.uk/cases/" + case_id}, urls


cwrun.main([test_feed, test_confidential, test_links])
