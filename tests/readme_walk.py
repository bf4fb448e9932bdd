"""The README's walk-through ("One case, from concern to closure"), run as
written: every command of its sh blocks, in order, in an empty directory
with the built carewatch first on the PATH. A command must exit 0, or the
code its comment names ("# exit 4"). Fails naming the first command that
does not.

usage: python3 readme_walk.py README.md BUILD_DIR
"""
import os
import re
import subprocess
import sys
import tempfile

SECTION = "### One case, from concern to closure"


def commands(readme):
    """The walk-through's commands, continuation lines joined."""
    text = open(readme, encoding="utf-8").read()
    start = text.index(SECTION)
    end = text.find("\n### ", start + len(SECTION))
    section = text[start:end if end >= 0 else len(text)]
    cmds = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        joined = block.replace("\\\n", " ")
        cmds += [line.strip() for line in joined.splitlines() if line.strip()]
    return cmds


def expected(cmd):
    m = re.search(r"#\s*exit (\d+)", cmd)
    return int(m.group(1)) if m else 0


def main():
    readme, build = sys.argv[1], os.path.abspath(sys.argv[2])
    cmds = commands(readme)
    if len(cmds) < 10:
        sys.exit("readme_walk: found only %d commands under %r" % (len(cmds), SECTION))
    script = ["cd \"$1\""]
    for i, line in enumerate(cmds):
        # The comment goes, or it would swallow the check after it.
        cmd = re.sub(r"\s+#(\s.*)?$", "", line)
        script.append("%s >/dev/null; rc=$?; if [ $rc -ne %d ]; then echo \"README command %d"
                      " exited $rc, not %d: %s\" >&2; exit 1; fi"
                      % (cmd, expected(line), i + 1, expected(line),
                         cmd.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$")
                            .replace("`", "\\`")))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREWATCH_")}
    env["PATH"] = build + os.pathsep + env.get("PATH", "")
    with tempfile.TemporaryDirectory() as d:
        r = subprocess.run(["bash", "-c", "\n".join(script), "walk", d], env=env)
    if r.returncode != 0:
        sys.exit(1)
    print("readme_walk: %d commands ran as written" % len(cmds))


main()
