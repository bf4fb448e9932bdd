"""chart heatmap / chart trend: the SVG parses, is accessible, and counts right."""
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(__file__))
import cwrun  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
SOURCE = os.path.join(os.path.dirname(__file__), "..", "..")


def parse(svg_bytes):
    """Well-formed, an accessible image, no script: the root element."""
    root = ET.fromstring(svg_bytes)
    assert root.tag == SVG + "svg", root.tag
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    assert len(ids) == 2, ids
    title = root.find(SVG + "title")
    desc = root.find(SVG + "desc")
    assert title is not None and title.get("id") == ids[0] and title.text
    assert desc is not None and desc.get("id") == ids[1] and desc.text
    for el in root.iter():
        assert el.tag != SVG + "script", "a script in the picture"
        for attr in el.attrib:
            assert not attr.lower().startswith("on"), "an event handler: " + attr
    return root


def cells(root):
    """{(likelihood, impact): (count shown as text, band word, score)}."""
    out = {}
    for g in root.iter(SVG + "g"):
        if g.get("class") != "cell":
            continue
        texts = [t for t in g.iter(SVG + "text")]
        shown = [t.text for t in texts if t.get("class") == "count"]
        assert len(shown) == 1
        assert int(shown[0]) == int(g.get("data-count"))
        label = texts[0].text   # "12 red": the band is a word, not only a colour
        assert label == "%s %s" % (g.get("data-score"), g.get("data-band")), label
        out[(int(g.get("data-likelihood")), int(g.get("data-impact")))] = (
            int(shown[0]), g.get("data-band"), int(g.get("data-score")))
    return out


def known_concerns(a):
    a.basic()
    a.concern("Ash House", 2, 3, "2026-10-01")
    a.concern("Ash House", 2, 3, "2026-10-02")
    a.concern("Ash House", 4, 4, "2026-10-03")
    a.concern("Birch Court", 2, 3, "2026-10-04")
    a.concern("Birch Court", 1, 1, "2026-10-05")
    gone = a.concern("Birch Court", 3, 3, "2026-10-06")
    a.run("kim", "concern", "resolve", gone["id"], "--note", "put right")
    a.run("kim", "concern", "positive", "--provider", "Birch Court", "--team", "commissioning",
          "--summary", "lovely garden")


def test_heatmap_area_counts(a):
    known_concerns(a)
    p = a.run("vic", "chart", "heatmap")
    got = cells(parse(p.stdout))
    assert len(got) == 16, len(got)
    want = {(2, 3): 3, (4, 4): 1, (1, 1): 1}
    for key, (n, band, score) in got.items():
        assert n == want.get(key, 0), (key, n)
        assert score == key[0] * key[1]
    assert got[(4, 4)][1] == "red" and got[(2, 3)][1] == "yellow" and got[(1, 1)][1] == "green"
    j = a.json("vic", "chart", "heatmap")
    assert j["total"] == 5 and j["provider"] is None
    assert b"5 open scored concerns" in p.stdout


def test_heatmap_one_provider(a):
    known_concerns(a)
    got = cells(parse(a.run("vic", "chart", "heatmap", "--provider", "Ash House").stdout))
    assert {k: v[0] for k, v in got.items() if v[0]} == {(2, 3): 2, (4, 4): 1}, got
    a.run("vic", "chart", "heatmap", "--provider", "Nowhere", expect=3)


def test_heatmap_five_by_five(a):
    # init pins the rules it is given: from then on they are the database's.
    a.run("alice", "init", env={"CAREWATCH_CONFIG": os.path.join(SOURCE, "config", "nhs-5x5.cfg")})
    a.run("alice", "user", "add", "kim", "--role", "contracts")
    a.run("kim", "provider", "add", "Ash House", "--type", "domiciliary")
    a.run("kim", "concern", "log", "--provider", "Ash House", "--source", "complaint", "--team",
          "commissioning", "--likelihood", "5", "--impact", "5", "--summary", "x")
    p = a.run("kim", "chart", "heatmap")
    root = parse(p.stdout)
    got = cells(root)
    assert len(got) == 25 and got[(5, 5)] == (1, "red", 25), got[(5, 5)]
    words = " ".join(t.text or "" for t in root.iter(SVG + "text"))
    assert "Catastrophic" in words and "Rare" in words


def test_trend(a):
    a.basic()
    c = a.concern("Ash House", 2, 3, "2026-09-01", today="2026-09-01")
    a.run("kim", "case", "open", "--provider", "Ash House", "--reason", "r", today="2026-09-05")
    a.run("kim", "case", "escalate", "Ash House", "--trigger", "pattern_of_issues", "--chair", "kim",
          today="2026-09-10")
    a.run("kim", "meeting", "record", "--case", "Ash House", "--date", "2026-09-20", "--chair", "kim",
          "--attendee", "Kim|Council|Chair", "--trend", "same", "--overall", "amber",
          today="2026-09-20")
    a.run("kim", "concern", "rate", c["id"], "--likelihood", "4", "--note", "worse",
          today="2026-10-10")
    a.run("dee", "case", "suspend", "Ash House", "--commissioner", "Carewatch County Council",
          "--kind", "mandatory", "--reason", "risk", today="2026-10-15")
    j = a.json("vic", "chart", "trend", "--provider", "Ash House")
    assert j["by"] == "week", j["by"]
    per = {p["start"]: p for p in j["periods"]}
    assert per["2026-08-31"]["computed"] == "yellow" and per["2026-08-31"]["agreed"] is None
    assert per["2026-09-14"]["agreed"] == "amber"
    assert per["2026-10-05"]["computed"] == "red", per["2026-10-05"]
    assert per["2026-10-12"]["stage"] == "embargo"
    assert j["embargoes"] == [{"from": "2026-10-15", "to": None}], j["embargoes"]
    assert [s["to"] for s in j["stage_changes"]] == [
        "quality_assurance", "provider_performance", "embargo"]
    root = parse(a.run("vic", "chart", "trend", "--provider", "Ash House").stdout)
    groups = [g.get("class") for g in root.iter(SVG + "g")]
    assert groups.count("stage-change") == 3 and groups.count("embargo") == 1, groups
    assert "Embargo from 2026-10-15 still in force" in root.find(SVG + "desc").text
    m = a.json("vic", "chart", "trend", "--provider", "Ash House", "--by", "month")
    assert [p["computed"] for p in m["periods"]] == ["yellow", "red", "red"], m["periods"]
    a.run("vic", "chart", "trend", expect=2)


def test_embedded_in_meeting_documents(a):
    a.basic()
    a.concern("Ash House", 2, 3, "2026-09-01", today="2026-09-01")
    a.run("kim", "case", "open", "--provider", "Ash House", "--reason", "r", today="2026-09-05")
    a.run("kim", "case", "escalate", "Ash House", "--trigger", "pattern_of_issues", "--chair", "kim",
          today="2026-09-10")
    a.run("kim", "meeting", "record", "--case", "Ash House", "--date", "2026-09-20", "--chair", "kim",
          "--attendee", "Kim|Council|Chair", "--trend", "same", "--overall", "amber",
          "--next", "2026-10-20", today="2026-09-20")
    a.concern("Ash House", 4, 4, "2026-10-01", today="2026-10-01")
    agenda = a.run("kim", "document", "ppm-agenda", "--case", "Ash House", "--format", "html")
    svgs = [parse(m.group(0)) for m in re.finditer(rb"<svg.*?</svg>", agenda.stdout, re.S)]
    assert len(svgs) == 2, len(svgs)
    assert {(k, v[0]) for k, v in cells(svgs[0]).items() if v[0]} == {((2, 3), 1), ((4, 4), 1)}
    assert b'<!-- carewatch:charts -->' not in agenda.stdout
    # The record shows the trend as it stood on the meeting's day, whenever printed.
    record = a.run("kim", "document", "ppm-record", "--case", "Ash House", "--format", "html")
    svgs = [parse(m.group(0)) for m in re.finditer(rb"<svg.*?</svg>", record.stdout, re.S)]
    assert len(svgs) == 1
    desc = svgs[0].find(SVG + "desc").text
    assert "to 2026-09-20." in desc and "red" not in desc.split("Stage change")[0], desc
    # Markdown has no pictures and no marker.
    md = a.run("kim", "document", "ppm-agenda", "--case", "Ash House")
    assert b"<svg" not in md.stdout and b"carewatch:charts" not in md.stdout


def test_qa_agenda_html(a):
    known_concerns(a)
    a.run("kim", "provider", "add", "<b>Cedar</b> & Co", "--type", "domiciliary")
    a.concern("<b>Cedar</b> & Co", 2, 2, "2026-10-07")
    a.run("kim", "case", "open", "--provider", "Ash House", "--reason", "r")
    a.run("kim", "case", "escalate", "Ash House", "--trigger", "pattern_of_issues", "--chair", "kim")
    a.run("kim", "case", "open", "--provider", "Birch Court", "--reason", "r")
    page = a.run("quinn", "watchlist", "--format", "html").stdout
    assert page.startswith(b"<!DOCTYPE html>")
    svgs = [parse(m.group(0)) for m in re.finditer(rb"<svg.*?</svg>", page, re.S)]
    # The area's heat map, and a trend for the one provider at stage 2 (Birch is at stage 1).
    assert len(svgs) == 2, len(svgs)
    assert sum(v[0] for v in cells(svgs[0]).values()) == 6
    assert "Ash House" in svgs[1].find(SVG + "title").text
    assert b"&lt;b&gt;Cedar&lt;/b&gt; &amp; Co" in page and b"<b>Cedar" not in page


cwrun.main([test_qa_agenda_html, test_embedded_in_meeting_documents, test_heatmap_area_counts, test_heatmap_one_provider, test_heatmap_five_by_five,
            test_trend])
