#!/usr/bin/python3
# test-drafts-e2e.py — a draft survives kill -9, end to end (TAP)
#
# Copyright 2026 The Epistle authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   xvfb-wrapper /usr/bin/python3 test-drafts-e2e.py
#
# Starts the harness's Postfix + Dovecot and the real `epistle` (xvfb-wrapper
# gives the display, bus and an empty HOME), signs in, and with real
# keystrokes types two recipients in To, one in Cc, a Chinese subject and a
# body with a bold word and a bulleted list; two files are attached by real
# XDND drops. Once the autosave has written the draft (read from
# $XDG_DATA_HOME/epistle/drafts), the program is killed with SIGKILL and one
# of the two files deleted. At the next start, after signing in, Epistle
# must offer “Restore the Message You Were Writing?”; Restore must give back
# To, Cc, subject and the body's text exactly (read through AT-SPI), attach
# the file that is still there and name the vanished one in a toast. An edit
# and its undo then make the window save again: the HTML the restored buffer
# writes must equal the HTML saved before the kill, and the vanished file
# must still be listed in the draft. Sending it then deletes the draft. Last,
# words typed into the emptied composer just before Ctrl+W must be in the new
# draft written on closing.
#
# Environment (tests/meson.build): EPISTLE_BIN, EPISTLE_MAILSTACK, EPISTLE_DRAG_SOURCE;
# EPISTLE_SCREENSHOT_DIR (optional) keeps a screenshot of the restore offer.
import glob
import json
import os
import re
import signal
import subprocess
import sys
import time

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from epistle_driver import (  # noqa: E402
    App, Failure, Harness, Screen, Tap, clear_field, drag_and_drop, focused, key, keyring_holds_password,
    logged_problems, open_drag_source, poll, showing, text_of, toplevel_of, type_text, wait_text, walk)

DISPLAY_NAME = "Alice Example"
ADDRESS = "alice@example.test"
TO = "bob@example.test; 陈静 <carol@example.test>"
CC = "user1@example.test"
SUBJECT = "草稿：第三季度计划"
PLAN = 12
SAVE_TIMEOUT = 15


def drafts_dir():
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.environ["HOME"], ".local", "share")
    return os.path.join(data, "epistle", "drafts")


def read_drafts():
    """Every draft on disk, as parsed JSON; a half-written file would fail the parse (it never may)."""
    found = []
    for path in glob.glob(os.path.join(drafts_dir(), "*", "draft.json")):
        with open(path, encoding="utf-8") as f:
            found.append(json.load(f))
    return found


class DraftsE2E(Harness):
    def __init__(self):
        super().__init__("epistle-drafts-e2e-")
        self.runs = 0

    # setup and teardown

    def start_mailstack(self):
        super().start_mailstack()
        self.files = [os.path.join(self.tmp, "计划.txt"), os.path.join(self.tmp, "figures.bin")]
        with open(self.files[0], "w", encoding="utf-8") as f:
            f.write("第三季度计划\n")
        with open(self.files[1], "wb") as f:
            f.write(os.urandom(4096))

    def cleanup(self, keep_logs):
        super().cleanup(keep_logs, ("epistle", "drag-source", "mailstack"))

    # the program

    def start_program(self):
        self.runs += 1
        self.epistle = self.start_epistle()
        self.app = App(self.epistle)
        self.screen = Screen(self.app)
        self.app.find(pyatspi.ROLE_PUSH_BUTTON, "Sign In")

    def sign_in(self):
        """Signs in to the harness from the sign-in page; the only step that knows its fields.

        The first time through the manual server fields (STARTTLS) and by trusting the test CA's
        certificate. Later, with the password in the keyring (Remember Password is on by
        default), the saved account signs in by itself at start and nothing is typed; without
        it the saved account fills the page and only the password is typed.
        """
        a, s = self.app, self.screen
        if keyring_holds_password(ADDRESS):
            poll("the composer signed in by itself from the keyring as %s" % ADDRESS,
                 lambda: (a.find_all(pyatspi.ROLE_TEXT, "To") and a.find_all(pyatspi.ROLE_PUSH_BUTTON, "Send")
                          and any(ADDRESS in label for label in a.labels())), timeout=30)
            return
        for name, text in (("Display Name", DISPLAY_NAME), ("Email Address", ADDRESS),
                           ("Password", self.env["PASSWORD"])):
            entry = a.find(pyatspi.ROLE_PASSWORD_TEXT if name == "Password" else pyatspi.ROLE_TEXT, name)
            if name != "Password" and text_of(entry) == text:
                continue
            s.focus(entry, name)
            clear_field(entry)
            type_text(text, entry)
        if not a.find_all(pyatspi.ROLE_TEXT, "SMTP Server"):
            for acc in a.find_all(pyatspi.ROLE_PUSH_BUTTON):
                if any(c.name == "Server Settings" for c in walk(acc)):
                    s.click(acc)
                    break
        for name, text in (("SMTP Server", "127.0.0.1"), ("Port", self.env["SMTP_STARTTLS_PORT"])):
            entry = a.find(pyatspi.ROLE_TEXT, name)
            if text_of(entry) != text:
                s.focus(entry, name)
                clear_field(entry)
                type_text(text, entry)
                wait_text(entry, text, "“%s” in %s" % (text, name))
        self.choose_security("STARTTLS")
        # Incoming Mail (IMAP), prefilled imap.<domain>: Dovecot instead. Tab reaches the fields
        # below (scrolling them into view); a saved account already has them right.
        for name, text in (("IMAP Server", "127.0.0.1"), ("IMAP Port", self.env["IMAPS_PORT"])):
            entry = a.find(pyatspi.ROLE_TEXT, name)
            if text_of(entry) != text:
                for _ in range(15):
                    if focused(entry):
                        break
                    key("Tab")
                    time.sleep(0.1)
                poll("the keyboard focus in %s" % name, lambda: focused(entry), timeout=5)
                clear_field(entry)
                type_text(text, entry)
                wait_text(entry, text, "“%s” in %s" % (text, name))
        s.click(a.find(pyatspi.ROLE_PUSH_BUTTON, "Sign In"))

        def through():
            if a.find_all(pyatspi.ROLE_TEXT, "To"):
                return True
            trust = a.find_all(pyatspi.ROLE_PUSH_BUTTON, "Trust This Certificate")
            if trust:
                s.click(trust[0])
            return False
        poll("the composer after signing in", through, timeout=45, interval=0.5)

    def choose_security(self, wanted):
        dropdown = self.app.find(pyatspi.ROLE_COMBO_BOX, "Security")

        def selected():
            dropdown.clear_cache()
            button = [c for c in dropdown if c.getRole() == pyatspi.ROLE_PUSH_BUTTON][0]
            return [acc.name for acc in walk(button) if acc.getRole() == pyatspi.ROLE_LABEL and showing(acc)]
        if wanted in selected():
            return
        self.screen.open_popup(dropdown, "the Security list open")
        for _ in range(["TLS", "STARTTLS", "None (insecure)"].index(wanted)):
            key("Down")
        key("Return")
        poll("Security set to %s" % wanted, lambda: wanted in selected(), timeout=5)

    # the steps

    def compose(self):
        a, s = self.app, self.screen
        to = a.find(pyatspi.ROLE_TEXT, "To", timeout=30)
        s.focus(to, "To")
        type_text(TO, to)
        wait_text(to, TO, "the recipients in To")
        key("ctrl+shift+c")
        cc = a.find(pyatspi.ROLE_TEXT, "Cc")
        s.focus(cc, "Cc")
        type_text(CC, cc)
        wait_text(cc, CC, "the recipient in Cc")
        subject = a.find(pyatspi.ROLE_TEXT, "Subject")
        s.focus(subject, "Subject")
        type_text(SUBJECT, subject)
        wait_text(subject, SUBJECT, "the subject typed")

        body = a.find(pyatspi.ROLE_TEXT, "Message Body")
        s.focus(body, "Message Body")
        type_text("Plans for the ", body)
        key("ctrl+b")
        type_text("third quarter", body)
        key("ctrl+b")
        type_text(":", body)
        key("Return")
        s.click(a.find(None, "Bulleted List"))
        s.focus(body, "Message Body")
        type_text("hire two engineers", body)
        key("Return")
        type_text("ship 版本 2.0", body)
        self.body = body
        poll("the body typed", lambda: text_of(body).endswith("ship 版本 2.0"), timeout=10)

    def attach(self):
        log = open(os.path.join(self.tmp, "drag-source.log"), "w")
        src, rows = open_drag_source(os.environ["EPISTLE_DRAG_SOURCE"], self.files, 960, 80, log)
        self.procs.append(("drag-source", src))
        for path, (x0, y0) in zip(self.files, rows):
            name = os.path.basename(path)
            drag_and_drop(x0, y0, *self.screen.centre(self.body))
            poll("the dropped “%s” in the attachment bar" % name,
                 lambda: self.app.find_all(pyatspi.ROLE_LIST_ITEM, name), timeout=10)
        src.terminate()

    def autosaved(self):
        """The draft on disk holds everything typed, within SAVE_TIMEOUT of the last change."""
        want_body = text_of(self.body)
        self.before = {"to": TO, "cc": CC, "subject": SUBJECT, "body": want_body}

        def saved():
            drafts = read_drafts()
            if len(drafts) != 1:
                return None
            d = drafts[0]
            if d["to"] == TO and d["cc"] == CC and d["subject"] == SUBJECT and \
                    [x["path"] for x in d["attachments"]] == self.files and "ship 版本 2.0" in d["html"]:
                return d
            return None
        try:
            self.saved = poll("the autosaved draft", saved, timeout=SAVE_TIMEOUT, interval=0.2)
        except Failure as e:
            raise Failure("%s; on disk: %r" % (e, read_drafts()))
        html = self.saved["html"]
        problems = []
        if not re.search(r"<b>third quarter</b>", html):
            problems.append("no <b>third quarter</b>")
        if not re.search(r"<ul>\s*<li>hire two engineers</li>\s*<li>ship 版本 2.0</li>\s*</ul>", html):
            problems.append("no bulleted list of the two items")
        if not self.saved["open"]:
            problems.append("not marked open while its window is")
        if problems:
            raise Failure("the saved HTML has %s: %r" % (", ".join(problems), html))

    def kill(self):
        os.kill(self.epistle.pid, signal.SIGKILL)
        self.epistle.wait(10)
        if self.epistle.returncode != -signal.SIGKILL:
            raise Failure("epistle ended with %r, not by SIGKILL" % self.epistle.returncode)
        os.unlink(self.files[1])   # an attachment that vanishes while Epistle is down
        leftovers = [p for p in glob.glob(os.path.join(drafts_dir(), "*", "*")) if ".json." in p]
        if leftovers:
            raise Failure("temporary files left: %r" % leftovers)

    def restore(self):
        self.start_program()
        self.sign_in()
        a, s = self.app, self.screen

        def offer():
            for acc in a.find_all(pyatspi.ROLE_LABEL, "Restore the Message You Were Writing?"):
                return toplevel_of(acc)
        top = poll("the offer “Restore the Message You Were Writing?”", offer, timeout=20)
        text = " ".join(acc.name for acc in walk(top) if acc.getRole() == pyatspi.ROLE_LABEL)
        if SUBJECT not in text:
            raise Failure("the offer does not name the subject: %r" % text)
        shots = os.environ.get("EPISTLE_SCREENSHOT_DIR")
        if shots:
            time.sleep(0.5)
            subprocess.run(["import", "-window", "root", os.path.join(shots, "drafts-restore-offer.png")])
        buttons = poll("the Restore button", lambda: [b for b in walk(top) if b.getRole() == pyatspi.ROLE_PUSH_BUTTON
                                                      and b.name == "Restore" and showing(b)])
        s.click(buttons[0])
        # The toast for the file deleted while Epistle was down, at once (it goes after a while).
        gone = os.path.basename(self.files[1])
        try:
            poll("a toast naming the vanished “%s”" % gone,
                 lambda: [l for l in a.labels() if gone in l and "not found" in l], timeout=8)
        except Failure as e:
            raise Failure("%s (labels: %r)" % (e, a.labels()))

    def compare_restored(self):
        a = self.app
        fields = {name: a.find(pyatspi.ROLE_TEXT, name) for name in ("To", "Cc", "Subject")}
        body = self.body = a.find(pyatspi.ROLE_TEXT, "Message Body")
        try:
            poll("the restored body", lambda: text_of(body) == self.before["body"], timeout=10)
        except Failure as e:
            raise Failure("%s: %r, want %r" % (e, text_of(body), self.before["body"]))
        shots = os.environ.get("EPISTLE_SCREENSHOT_DIR")
        if shots:
            subprocess.run(["import", "-window", "root", os.path.join(shots, "drafts-restored.png")])
        problems = []
        for name, key_ in (("To", "to"), ("Cc", "cc"), ("Subject", "subject")):
            if text_of(fields[name]) != self.before[key_]:
                problems.append("%s reads %r, want %r" % (name, text_of(fields[name]), self.before[key_]))
        kept, gone = (os.path.basename(p) for p in self.files)
        if not a.find_all(pyatspi.ROLE_LIST_ITEM, kept):
            problems.append("“%s” is not attached" % kept)
        if a.find_all(pyatspi.ROLE_LIST_ITEM, gone):
            problems.append("the vanished “%s” is shown as attached" % gone)
        if problems:
            raise Failure("; ".join(problems))

    def resave(self):
        """An edit and its undo make the restored window write the draft again, from its own buffer."""
        a, s = self.app, self.screen
        subject = a.find(pyatspi.ROLE_TEXT, "Subject")
        s.focus(subject, "Subject")
        key("End")
        type_text("!", subject)
        key("BackSpace")
        wait_text(subject, SUBJECT, "the subject back as it was")
        before = self.saved["modified"]

        def saved():
            drafts = read_drafts()
            return drafts[0] if len(drafts) == 1 and drafts[0]["modified"] != before else None
        try:
            d = poll("the draft saved again", saved, timeout=SAVE_TIMEOUT, interval=0.2)
        except Failure as e:
            raise Failure("%s; on disk: %r" % (e, read_drafts()))
        problems = []
        if d["id"] != self.saved["id"]:
            problems.append("a new draft %s, not %s" % (d["id"], self.saved["id"]))
        if d["html"] != self.saved["html"]:
            problems.append("the HTML differs:\n%s\nbefore the kill:\n%s" % (d["html"], self.saved["html"]))
        for k in ("to", "cc", "bcc", "subject", "plain-text"):
            if d[k] != self.saved[k]:
                problems.append("%s is %r, was %r" % (k, d[k], self.saved[k]))
        if [x["path"] for x in d["attachments"]] != self.files:
            problems.append("attachments %r, want both %r (the vanished one still listed)"
                            % (d["attachments"], self.files))
        if problems:
            raise Failure("; ".join(problems))

    def send_deletes(self):
        """Sending the restored message deletes its draft."""
        a = self.app
        self.screen.click(a.find(pyatspi.ROLE_PUSH_BUTTON, "Send"))
        poll("the status “Sent to 3 recipients”",
             lambda: a.find_all(pyatspi.ROLE_LABEL, "Sent to 3 recipients"), timeout=60)
        try:
            poll("no draft left on disk", lambda: not read_drafts() and not glob.glob(os.path.join(drafts_dir(), "*")),
                 timeout=10)
        except Failure as e:
            raise Failure("%s: %r" % (e, read_drafts()))

    def close_saves(self):
        """Words typed just before Ctrl+W are in the draft the window writes as it closes."""
        s = self.screen
        s.focus(self.body, "Message Body")
        key("ctrl+End")
        type_text(" Last words", self.body)
        key("ctrl+w")
        try:
            self.epistle.wait(15)
        except subprocess.TimeoutExpired:
            raise Failure("epistle did not quit after Ctrl+W closed its only window")
        drafts = read_drafts()
        if len(drafts) != 1 or "Last words" not in drafts[0]["html"] or drafts[0]["open"] or \
                drafts[0]["id"] == self.saved["id"]:
            raise Failure("after Ctrl+W the drafts on disk are %r" % drafts)


def main():
    tap = Tap(PLAN)
    t = DraftsE2E()
    steps = [
        ("the mail stack starts", t.start_mailstack),
        ("epistle starts and signs in", lambda: (t.start_program(), t.sign_in())),
        ("To, Cc, a Chinese subject and a body with bold and a list are typed", t.compose),
        ("two files attached by real XDND drops", t.attach),
        ("the autosave writes the whole draft, formatting included", t.autosaved),
        ("kill -9 leaves no temporary file", t.kill),
        ("the next start offers to restore it; Restore names the vanished attachment", t.restore),
        ("recipients, subject, body and the remaining attachment come back", t.compare_restored),
        ("saved again, the restored buffer writes the same HTML and still lists both files", t.resave),
        ("sending it deletes the draft", t.send_deletes),
        ("Ctrl+W saves what was typed just before it", t.close_saves),
    ]
    ok = False
    try:
        ok = tap.run_steps(steps)
        bad = logged_problems([t.log_path("epistle")])
        tap.result(not bad, "the program logged no warnings or criticals")
        if bad:
            Tap.comment("\n".join(bad[:10]))
            ok = False
    finally:
        t.cleanup(keep_logs=not ok)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
