"""Run the built carewatch binary in a scratch directory, as a user would.

Shared by the format tests (tests/formats/test_*.py), which read what
carewatch writes back with libraries nobody here wrote (xml.etree,
openpyxl, icalendar)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile


class Area:
    def __init__(self, binary, today="2026-11-22"):
        self.bin = binary
        self.dir = tempfile.mkdtemp(prefix="cw-formats-")
        self.db = os.path.join(self.dir, "cw.db")
        self.today = today

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, as_user, *args, expect=0, stdin=None, env=None, today=None):
        e = dict(os.environ)
        e.pop("CAREWATCH_CONFIG", None)
        e.update({"CAREWATCH_DB": self.db, "CAREWATCH_TODAY": today or self.today})
        if env:
            e.update(env)
        argv = [self.bin] + (["--as", as_user] if as_user else []) + list(args)
        p = subprocess.run(argv, capture_output=True, env=e, input=stdin, cwd=self.dir)
        if expect is not None and p.returncode != expect:
            raise AssertionError("%s: exit %d, expected %d\nstdout: %s\nstderr: %s" % (
                " ".join(args), p.returncode, expect, p.stdout[:2000], p.stderr.decode()))
        return p

    def json(self, as_user, *args, expect=0, today=None):
        p = self.run(as_user, "--json", *args, expect=expect, today=today)
        return json.loads(p.stdout)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w", encoding="utf-8") as f:
            f.write(text)
        return self.path(name)

    def basic(self):
        """An area with a lead council, users of every role and two providers."""
        self.run("alice", "init")
        self.run("alice", "commissioner", "add", "Carewatch County Council", "--lead",
                 "--address", "County Hall, Carewatch, CW1 1AA", "--phone", "01234 567890",
                 "--email", "contracts@carewatch.example.gov.uk", "--department", "Social Care",
                 "--signatory", "Kim Jones", "--signatory-title", "Contracts Manager")
        self.run("alice", "commissioner", "add", "Health Board", "--kind", "health_board")
        for name, role in (("kim", "contracts"), ("sam", "safeguarding"), ("dee", "director"),
                           ("quinn", "qa"), ("vic", "viewer")):
            self.run("alice", "user", "add", name, "--role", role)
        for name in ("Ash House", "Birch Court"):
            self.run("kim", "provider", "add", name, "--type", "care_home_residential",
                     "--commissioner", "Carewatch County Council",
                     "--commissioner", "Health Board")

    def concern(self, provider, l, i, received, source="complaint", **kw):
        args = ["concern", "log", "--provider", provider, "--source", source, "--team",
                "commissioning", "--likelihood", str(l), "--impact", str(i), "--summary",
                kw.get("summary", "concern"), "--received", received]
        who = "kim"
        if source == "pova_referral":
            args += ["--pova-ref", kw["pova_ref"], "--subject", kw["subject"]]
            who = "sam"
        return self.json(who, *args, today=kw.get("today"))


def main(tests):
    """Run each test function with the binary named on the command line."""
    binary = os.path.abspath(sys.argv[1])
    failed = 0
    for t in tests:
        area = Area(binary)
        try:
            t(area)
            print("PASS", t.__name__)
        except Exception as e:  # noqa: BLE001 - report every failure and go on
            failed += 1
            print("FAIL", t.__name__, "-", e)
        finally:
            area.close()
    sys.exit(1 if failed else 0)
