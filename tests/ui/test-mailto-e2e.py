#!/usr/bin/python3
# test-mailto-e2e.py — `epistle 'mailto:…'` twice, the way a browser and xdg-email start it (TAP)
#
# Copyright 2026 The Epistle authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   xvfb-wrapper /usr/bin/python3 test-mailto-e2e.py
#
# The real program starts with issue 8's link on its command line (through
# main.c, which must not take the link for an unknown verb) on the wrapper's
# display and private session bus. A second launch, from another folder, with
# another link and a file name relative to that folder, must hand its command
# line to the first instance and end at once; the first instance then shows a
# second window. Both windows are read through AT-SPI: To, Cc, Subject, the
# body and the attachment list. A third launch with a broken link ends with
# status 65 and says why. No account exists, so the windows wait at the
# sign-in page with the composer filled in behind it (the in-process
# tests/ui/test-mailto.c covers a signed-in second window).
#
# Environment (tests/meson.build): EPISTLE_BIN.
import os
import subprocess
import sys
import tempfile

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from epistle_driver import App, Failure, Tap, poll, text_of, walk, window_ids  # noqa: E402

FIRST = "mailto:a@x.test?cc=b@x.test&subject=%E4%BD%A0%E5%A5%BD&body=hi"
SECOND = "mailto:c@x.test?to=d@x.test&subject=Second&body=line1%0D%0Aline2&attach=/etc/passwd"
BROKEN = "mailto:e@x.test?subject=%ZZ"
PLAN = 6


def frames(app):
    """The composer windows. GTK 4.8 gives a second window of the same app the role filler
    rather than frame on the accessibility bus: take every toplevel with a To field."""
    found = []
    for top in app.root():
        try:
            if any(acc.getRole() == pyatspi.ROLE_TEXT and acc.name == "To" for acc in walk(top)):
                found.append(top)
        except Exception:
            continue
    return found


def field(frame, name):
    """The text of the field NAME in FRAME (the composer is filled even behind the sign-in page),
    None when the field is hidden (Cc and Bcc until shown)."""
    for acc in walk(frame):
        try:
            if acc.getRole() in (pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY) and acc.name == name:
                return text_of(acc)
        except Exception:
            continue
    return None


def attachments(frame):
    """The rows of the composer's attachment bar (the list named Attachments), not every named
    list item in the window: the sign-in page's Remember Password row is one too. The Inbox's
    list of the same name stays empty here (no account signs in)."""
    names = []
    for acc in walk(frame):
        try:
            if acc.getRole() in (pyatspi.ROLE_LIST, pyatspi.ROLE_LIST_BOX) and acc.name == "Attachments":
                names += [item.name for item in acc if item.getRole() == pyatspi.ROLE_LIST_ITEM and item.name]
        except Exception:
            continue
    return sorted(names)


def composer(frame):
    return {"To": field(frame, "To"), "Cc": field(frame, "Cc"), "Subject": field(frame, "Subject"),
            "Message Body": field(frame, "Message Body"), "attachments": attachments(frame)}


def main():
    tap = Tap(PLAN)
    tmp = tempfile.mkdtemp(prefix="epistle-mailto-e2e-")
    with open(os.path.join(tmp, "notes.txt"), "w") as f:
        f.write("notes\n")
    log = open(os.path.join(tmp, "epistle.log"), "w")
    epistle = os.environ["EPISTLE_BIN"]
    first = subprocess.Popen([epistle, FIRST], stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    app = App(first)

    def first_window():
        poll("the first window", lambda: window_ids(first.pid) and len(frames(app)) == 1, timeout=30)
        want = {"To": "a@x.test", "Cc": "b@x.test", "Subject": "你好", "Message Body": "hi",
                "attachments": []}
        got = {}

        def filled():
            got.clear()
            got.update(composer(frames(app)[0]))
            return got == want
        try:
            poll("the first composer filled in", filled, timeout=10)
        except Failure as e:
            raise Failure("%s: it reads %r, want %r" % (e, got, want))

    results = {}

    def second_launch():
        r = subprocess.run([epistle, SECOND, "notes.txt"], cwd=tmp, capture_output=True, text=True,
                           timeout=20)
        results["second"] = r
        if r.returncode != 0:
            raise Failure("the second launch ended with %d: %s" % (r.returncode, r.stderr))

    def second_window():
        poll("a second window in the first instance", lambda: len(frames(app)) == 2, timeout=20)
        want = {"To": "c@x.test, d@x.test", "Cc": None, "Subject": "Second", "Message Body": "line1\nline2",
                "attachments": ["notes.txt"]}
        got = {}

        def filled():
            got.clear()
            got.update(next(c for c in (composer(f) for f in frames(app)) if c["Subject"] == "Second"))
            return got == want
        try:
            poll("the second composer filled in", filled, timeout=10)
        except Failure:
            raise Failure("the second composer reads %r, want %r" % (got, want))

    def first_untouched():
        subjects = sorted(composer(f)["Subject"] for f in frames(app))
        if subjects != ["Second", "你好"]:
            raise Failure("the windows' subjects are %r" % subjects)

    def broken_link():
        r = subprocess.run([epistle, BROKEN], cwd=tmp, capture_output=True, text=True, timeout=20)
        if r.returncode != 65 or "broken escape" not in r.stderr:
            raise Failure("a broken link ended with %d: %r" % (r.returncode, r.stderr))

    def verbs_stay_local():
        # `epistle send` never reaches the running instance nor opens a window.
        r = subprocess.run([epistle, "send", "--help"], capture_output=True, text=True, timeout=20)
        if r.returncode != 0 or "--to" not in r.stdout:
            raise Failure("epistle send --help ended with %d: %r" % (r.returncode, r.stderr))
        if len(frames(app)) != 3:
            raise Failure("%d windows after epistle send --help" % len(frames(app)))

    steps = [
        ("`epistle 'mailto:…'` opens a filled-in composer", first_window),
        ("a second launch hands its command line over and ends with 0", second_launch),
        ("the first instance opens a second composer, filled in, the file attached", second_window),
        ("the first composer keeps its own message", first_untouched),
        ("a broken link: status 65 and the reason (its composer opens anyway)", broken_link),
        ("`epistle send` stays in its own process", verbs_stay_local),
    ]
    ok = False
    try:
        # Each step runs whatever the one before did: they look at different things.
        ok = all([tap.check(description, step) for description, step in steps])
    finally:
        first.terminate()
        try:
            first.wait(10)
        except subprocess.TimeoutExpired:
            first.kill()
        if not ok or os.environ.get("EPISTLE_TEST_VERBOSE"):
            log.flush()
            for line in open(log.name, errors="replace").read()[-3000:].splitlines():
                print("# " + line, flush=True)
        subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
