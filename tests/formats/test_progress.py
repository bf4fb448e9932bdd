"""import and demo draw a progress bar on stderr only when it is a terminal."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import cwrun  # noqa: E402


def under_pty(a, as_user, *args):
    """Run carewatch with a pseudo-terminal for its streams (util-linux script)."""
    cmd = " ".join([a.bin, "--as", as_user] + ["'%s'" % x for x in args])
    env = dict(os.environ, CAREWATCH_DB=a.db, CAREWATCH_TODAY=a.today)
    p = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, env=env)
    return p.returncode, p.stdout.decode(errors="replace")


def concerns_file(a, n):
    lines = ["provider,source,team,likelihood,impact,summary,received"]
    for i in range(n):
        lines.append("Ash House,complaint,commissioning,2,2,imported %d,2026-10-01" % i)
    return a.write("concerns.csv", "\n".join(lines) + "\n")


def test_import(a):
    a.basic()
    path = concerns_file(a, 250)
    code, out = under_pty(a, "alice", "import", "concerns", path)
    assert code == 0, out
    assert "importing " in out and "250/250 rows 100%" in out and "left" in out, out
    assert "\r" in out, "the bar redraws in place"
    # Not a terminal: nothing on stderr but what went wrong (here, nothing).
    p = a.run("alice", "import", "concerns", concerns_file(a, 30), "--allow-duplicates")
    assert p.stderr == b"", p.stderr
    # A refused file leaves the bar and says why.
    bad = a.write("bad.csv", "provider,source,team,likelihood,impact,summary\n"
                  "Ash House,complaint,commissioning,9,2,x\n")
    code, out = under_pty(a, "alice", "import", "concerns", bad)
    assert code == 2 and "line 2" in out, out


def test_ratings_and_demo(a):
    a.run("alice", "init")
    code, out = under_pty(a, "alice", "demo")
    assert code == 0, out
    assert "building the demo area" in out and "100%" in out and "items" in out, out
    assert "rows" not in out, "the demo's own import is one step of the demo"
    p = a.run(None, "--as", "alice", "watchlist", expect=0)
    assert p.stderr == b""
    f = a.write("r.csv", "Location ID,Location Name,Latest Rating,Publication Date\n"
                "CH-1003,Brookside Court,Good,01/01/2026\n")
    code, out = under_pty(a, "alice", "import", "ratings", f)
    assert code == 0 and "1/1 rows 100%" in out, out


def test_demo_without_terminal(a):
    a.run("alice", "init")
    p = a.run("alice", "demo")
    assert p.stderr == b"", p.stderr


cwrun.main([test_import, test_ratings_and_demo, test_demo_without_terminal])
