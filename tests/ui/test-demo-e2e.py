#!/usr/bin/python3
# test-demo-e2e.py — `epistle --demo` keeps its files apart and leaves nothing behind (TAP)
#
# Copyright 2026 The Epistle authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   xvfb-wrapper /usr/bin/python3 test-demo-e2e.py
#
# The real program with --demo, as README's first command starts it, on the
# wrapper's display and private session bus, with HOME and TMPDIR of its own.
# The demo starts the harness's Postfix and Dovecot and signs in as alice;
# a recipient typed through the keyboard makes a draft, which must land in
# the demo's private data folder, never under HOME (where the person's own
# drafts live). SIGTERM, as a logout or Ctrl+C sends it, must end the
# program cleanly: its servers stopped and every folder it made removed.
#
# Environment (tests/meson.build): EPISTLE_BIN.
import glob
import os
import signal
import subprocess
import sys
import tempfile
import time

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from epistle_driver import (  # noqa: E402
    App, Failure, Screen, Tap, poll, text_of, type_text, window_ids)

PLAN = 4
RECIPIENT = "bob@example.test"


def epistle_files_under(home):
    """Paths below HOME that Epistle would have made (their names hold "epistle")."""
    return [p for p in glob.glob(os.path.join(home, "**"), recursive=True)
            if "epistle" in os.path.relpath(p, home)]


def main():
    tap = Tap(PLAN)
    tmp = tempfile.mkdtemp(prefix="epistle-demo-e2e-")
    home = os.path.join(tmp, "home")
    private_tmp = os.path.join(tmp, "tmp")
    os.makedirs(home)
    os.makedirs(private_tmp)
    # Postfix and Dovecot drop to their own users, who must reach the stack's folder in TMPDIR.
    os.chmod(tmp, 0o755)
    os.chmod(private_tmp, 0o755)
    env = dict(os.environ, HOME=home, TMPDIR=private_tmp)
    env.pop("XDG_DATA_HOME", None)
    log = open(os.path.join(tmp, "epistle.log"), "w")
    demo = subprocess.Popen([os.environ["EPISTLE_BIN"], "--demo"], env=env, stdout=log, stderr=log,
                            stdin=subprocess.DEVNULL)
    app = App(demo)
    screen = Screen(app)
    ok = False

    def signed_in():
        # The window first (X, through xdotool): the accessibility bus lists a program only
        # if it was there at the first look (libatspi keeps that list without a main loop).
        poll("the window", lambda: window_ids(demo.pid), timeout=30)
        poll("alice signed in", lambda: any("alice@example.test" in label for label in app.labels()),
             timeout=120, interval=0.5)

    def draft_apart():
        to = app.find(pyatspi.ROLE_TEXT, "To", timeout=30)
        screen.focus(to, "To")
        type_text(RECIPIENT, to)
        poll("the recipient typed", lambda: text_of(to) == RECIPIENT, timeout=10)
        drafts = poll("the autosaved draft",
                      lambda: glob.glob(os.path.join(private_tmp, "epistle-demo-*", "epistle", "drafts",
                                                     "*", "draft.json")), timeout=20, interval=0.2)
        with open(drafts[0], encoding="utf-8") as f:
            if RECIPIENT not in f.read():
                raise Failure("the demo's draft %s does not hold %s" % (drafts[0], RECIPIENT))
        under_home = epistle_files_under(home)
        if under_home:
            raise Failure("the demo wrote under HOME: %r" % under_home)

    def ends_on_sigterm():
        demo.send_signal(signal.SIGTERM)
        try:
            status = demo.wait(60)
        except subprocess.TimeoutExpired:
            raise Failure("epistle --demo was still running 60 s after SIGTERM")
        if status != 0:
            raise Failure("epistle --demo ended with %d after SIGTERM" % status)

    def nothing_left():
        def gone():
            return not os.listdir(private_tmp) and subprocess.run(
                ["pgrep", "-f", private_tmp], capture_output=True).returncode != 0
        try:
            poll("the demo's folders and servers gone", gone, timeout=30, interval=0.5)
        except Failure:
            left = subprocess.run(["pgrep", "-af", private_tmp], capture_output=True, text=True).stdout
            raise Failure("left behind: folders %r, processes %r" % (os.listdir(private_tmp), left))
        under_home = epistle_files_under(home)
        if under_home:
            raise Failure("the demo left files under HOME: %r" % under_home)

    try:
        ok = tap.run_steps([("the demo starts its servers and signs in as alice", signed_in),
                            ("a draft goes to the demo's own data folder, not under HOME", draft_apart)])
        ok = tap.check("SIGTERM quits cleanly, with status 0", ends_on_sigterm) and ok
        ok = tap.check("its servers stop and every folder it made is removed", nothing_left) and ok
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
        if not ok or os.environ.get("EPISTLE_TEST_VERBOSE"):
            log.flush()
            for line in open(log.name, errors="replace").read()[-3000:].splitlines():
                print("# " + line, flush=True)
        subprocess.run(["pkill", "-f", private_tmp])
        time.sleep(0.5)
        subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
