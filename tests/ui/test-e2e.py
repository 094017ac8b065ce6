#!/usr/bin/python3
# test-e2e.py — Epistle end to end, the way a person uses it (TAP)
#
# Copyright 2026 The Epistle authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   xvfb-wrapper /usr/bin/python3 test-e2e.py
#
# Starts the harness's Postfix + Dovecot, then the real `epistle` with no
# arguments and an empty HOME (xvfb-wrapper gives the display, bus and HOME).
# Finds widgets through AT-SPI by role and accessible name, and acts on them
# with real X input (xdotool over XTest): clicks, typed keystrokes (Chinese
# included) and two real XDND drops from tests/ui/drag-source. Signs in through
# the manual server fields, trusts the test CA's certificate by its SHA-256
# fingerprint, sends to one accepted and one refused recipient, chooses "Send to
# the Others" in the refusal dialog, sees the composer cleared, and fetches the
# message back over IMAP to compare the subject, From, the plain body and each
# attachment's name and bytes. Every character is typed with real keystrokes;
# nothing is set through EditableText.
#
# Then Epistle starts again as the recipient, bob, whose account file names
# the IMAP server (the sign-in page asks for none), and reads the message in
# the Inbox view: the row is announced "Unread", opening it shows the subject,
# body and attachment names sent, Save… through the file chooser (which asks
# before replacing a file already there) writes the attachment byte for byte,
# the server has the message \Seen afterwards (checked with imaplib), and the
# mailbox selector lists the special-use folders and a Chinese one, whose
# message it lists when chosen.
#
# Environment (tests/meson.build): EPISTLE_BIN, EPISTLE_MAILSTACK, EPISTLE_DRAG_SOURCE.
# Only TAP goes to stdout; the program's and helpers' output goes to files
# that a failure prints as TAP comments.
import ast
import base64
import email
import email.policy
import imaplib
import os
import re
import ssl
import subprocess
import sys

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from epistle_driver import (  # noqa: E402
    App, Failure, Harness, Screen, Tap, clear_field, describe, focused, doubled_names, drag_and_drop, key,
    logged_problems, name_matches, open_drag_source, poll, showing, text_of, toplevel_of, type_text,
    wait_text, walk, window_ids)

DISPLAY_NAME = "Alice Example"
ADDRESS = "alice@example.test"
GOOD = "bob@example.test"
REFUSED = "nobody@example.test"
SUBJECT = "季度报告：请查收附件"
BODY = "鲍勃你好，\n附件是第三季度的报告和数据。\n谢谢！艾丽斯"
RECIPIENT_NAME = "Bob Example"
FOLDER = "已发送"
FOLDER_UTF7 = "&XfJT0ZAB-"
FOLDER_SUBJECT = "文件夹里的信"
PLAN = 17
SCHEMA = "io.github.epistle.Epistle"
SCHEMA_PATH = "/io/github/epistle/Epistle"

SEND_TIMEOUT = 60


# --- The test ---------------------------------------------------------------

class E2E(Harness):
    def __init__(self):
        super().__init__("epistle-e2e-")
        self.app = None
        self.screen = None

    def cleanup(self, keep_logs):
        super().cleanup(keep_logs, ("epistle", "epistle-again", "epistle-recipient", "drag-source",
                                    "mailstack"))

    def make_files(self):
        self.files = [os.path.join(self.tmp, "第三季度数据.bin"), os.path.join(self.tmp, "notes.txt")]
        with open(self.files[0], "wb") as f:
            f.write(os.urandom(96 * 1024))
        with open(self.files[1], "w", encoding="utf-8") as f:
            # LF line endings, a line longer than 78 columns, no newline at the end.
            f.write("Quarterly notes\n季度说明：数据已核对。\n" + "x" * 120 + "\ntrailing line")

    # steps

    def start_program(self):
        self.epistle = self.start_epistle()
        self.app = App(self.epistle)
        self.screen = Screen(self.app)
        self.app.find(pyatspi.ROLE_PUSH_BUTTON, "Sign In")

    def sign_in(self):
        a, s = self.app, self.screen
        for name, text in (("Display Name", DISPLAY_NAME), ("Email Address", ADDRESS),
                           ("Password", self.env["PASSWORD"])):
            entry = a.find(pyatspi.ROLE_PASSWORD_TEXT if name == "Password" else pyatspi.ROLE_TEXT, name)
            s.focus(entry, name)
            type_text(text, entry)
            if name != "Password":
                wait_text(entry, text, "“%s” in %s" % (text, name))

        # A domain with no preset opens the manual fields, prefilled with smtp.<domain>, 465, TLS.
        if not a.find_all(pyatspi.ROLE_TEXT, "SMTP Server"):
            s.click(self.expander())
        host = a.find(pyatspi.ROLE_TEXT, "SMTP Server")
        port = a.find(pyatspi.ROLE_TEXT, "Port")
        wait_text(host, "smtp.example.test", "the SMTP Server field prefilled")
        for entry, name, text in ((host, "SMTP Server", "127.0.0.1"),
                                  (port, "Port", self.env["SMTP_STARTTLS_PORT"])):
            s.focus(entry, name)
            clear_field(entry)
            type_text(text, entry)
            wait_text(entry, text, "“%s” in %s" % (text, name))
        self.choose_security("STARTTLS")

        # The Incoming Mail (IMAP) group is prefilled imap.<domain>, 993, TLS: point it at Dovecot.
        # Tab from the Security list reaches IMAP Server (scrolled into view), then IMAP Port.
        imap_host = a.find(pyatspi.ROLE_TEXT, "IMAP Server")
        imap_port = a.find(pyatspi.ROLE_TEXT, "IMAP Port")
        wait_text(imap_host, "imap.example.test", "the IMAP Server field prefilled")
        for entry, name, text in ((imap_host, "IMAP Server", "127.0.0.1"),
                                  (imap_port, "IMAP Port", self.env["IMAPS_PORT"])):
            key("Tab")
            poll("the keyboard focus in %s" % name, lambda: focused(entry), timeout=5)
            clear_field(entry)
            type_text(text, entry)
            wait_text(entry, text, "“%s” in %s" % (text, name))

        s.click(a.find(pyatspi.ROLE_PUSH_BUTTON, "Sign In"))

    def expander(self):
        for acc in self.app.find_all(pyatspi.ROLE_PUSH_BUTTON):
            if any(c.name == "Server Settings" for c in walk(acc)):
                return acc
        raise Failure("no “Server Settings” expander")

    def security_dropdown(self):
        """The GtkDropDown labelled "Security": a combo box of that name."""
        return self.app.find(pyatspi.ROLE_COMBO_BOX, "Security")

    def selected_security(self, dropdown):
        """The item the dropdown's button shows (its popover's list is elsewhere)."""
        dropdown.clear_cache()
        button = [c for c in dropdown if c.getRole() == pyatspi.ROLE_PUSH_BUTTON][0]
        return [acc.name for acc in walk(button) if acc.getRole() == pyatspi.ROLE_LABEL and showing(acc)]

    def choose_security(self, wanted):
        s = self.screen
        dropdown = self.security_dropdown()
        if wanted in self.selected_security(dropdown):
            return
        # The list opens in a popover, its own X window, with the keyboard in it.
        s.open_popup(dropdown, "the Security list open")
        options = ["TLS", "STARTTLS", "None (insecure)"]
        for _ in range(options.index(wanted)):
            key("Down")
        key("Return")
        poll("Security set to %s" % wanted, lambda: wanted in self.selected_security(dropdown), timeout=5)

    def trust_certificate(self):
        a = self.app
        button = a.find(pyatspi.ROLE_PUSH_BUTTON, "Trust This Certificate", timeout=30)
        r = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256",
                            "-in", os.path.join(self.stack, "tls", "server.pem")],
                           capture_output=True, text=True, check=True)
        want = re.sub(r"[^0-9A-F]", "", r.stdout.split("=", 1)[1].upper())
        shown = re.sub(r"[^0-9A-F]", "", " ".join(a.labels()).upper())
        if want not in shown:
            raise Failure("the page does not show the server's SHA-256 fingerprint %s" % want)
        self.screen.click(button)

    def compose(self):
        a, s = self.app, self.screen
        to = a.find(pyatspi.ROLE_TEXT, "To", timeout=30)
        # The picker itself is not driven (a native file dialog under Xvfb); its button is named.
        a.find(pyatspi.ROLE_PUSH_BUTTON, "Attach Files", timeout=5)
        s.focus(to, "To")
        type_text("%s; %s" % (GOOD, REFUSED), to)
        wait_text(to, "%s; %s" % (GOOD, REFUSED), "the recipients in To")

        subject = a.find(pyatspi.ROLE_TEXT, "Subject")
        s.focus(subject, "Subject")
        type_text(SUBJECT, subject)
        wait_text(subject, SUBJECT, "the subject typed")

        body = a.find(pyatspi.ROLE_TEXT, "Message Body")
        s.focus(body, "Message Body")
        # xdotool types "\n" as Linefeed, which a GtkTextView ignores: Return between lines.
        for i, line in enumerate(BODY.split("\n")):
            if i:
                key("Return")
            type_text(line, body)
        wait_text(body, BODY, "the body typed", timeout=15)
        self.body = body

    def drop_files(self):
        log = open(os.path.join(self.tmp, "drag-source.log"), "w")
        # Both windows open at +0+0 with no window manager: the source goes beside the composer.
        src, rows = open_drag_source(os.environ["EPISTLE_DRAG_SOURCE"], self.files, 960, 80, log)
        self.procs.append(("drag-source", src))
        for path, (x0, y0) in zip(self.files, rows):
            name = os.path.basename(path)
            drag_and_drop(x0, y0, *self.screen.centre(self.body))
            poll("the dropped “%s” in the attachment bar" % name,
                 lambda: self.app.find_all(pyatspi.ROLE_LIST_ITEM, name), timeout=10)
        src.terminate()

    def send(self):
        a, s = self.app, self.screen
        s.click(a.find(pyatspi.ROLE_PUSH_BUTTON, "Send"))

        def dialog():
            for acc in a.find_all(pyatspi.ROLE_LABEL, "A Recipient Was Refused"):
                return toplevel_of(acc)
        top = poll("the “A Recipient Was Refused” dialog", dialog, timeout=SEND_TIMEOUT)
        text = " ".join(acc.name for acc in walk(top) if acc.getRole() == pyatspi.ROLE_LABEL)
        if REFUSED not in text or "550" not in text:
            raise Failure("the dialog does not name %s and the 550 reply: %r" % (REFUSED, text))
        if GOOD in text:
            raise Failure("the dialog lists the accepted %s as refused: %r" % (GOOD, text))
        try:
            others = poll("“Send to the Others”",
                          lambda: [b for b in walk(top) if b.getRole() == pyatspi.ROLE_PUSH_BUTTON
                                   and name_matches(b.name, "Send to the Others") and showing(b)])
        except Failure as e:
            raise Failure("%s; the dialog holds: %s" % (e, describe(top)))
        s.click(others[0])
        poll("the status “Sent to 1 recipient”",
             lambda: a.find_all(pyatspi.ROLE_LABEL, "Sent to 1 recipient"), timeout=SEND_TIMEOUT)

    def check_cleared(self):
        """After a send the composer clears for the next message (issue 5, Sending)."""
        a = self.app
        fields = [a.find(pyatspi.ROLE_TEXT, name) for name in ("To", "Subject", "Message Body")]

        def cleared():
            return all(f.queryText().characterCount == 0 for f in fields) and not any(
                a.find_all(pyatspi.ROLE_LIST_ITEM, os.path.basename(p)) for p in self.files)
        try:
            poll("the composer cleared", cleared, timeout=10)
        except Failure as e:
            raise Failure("%s: To %r, Subject %r, attachments %r" % (
                e, text_of(fields[0]), text_of(fields[1]),
                [acc.name for acc in a.find_all(pyatspi.ROLE_LIST_ITEM)]))

    def imap(self, user):
        ctx = ssl.create_default_context(cafile=self.env["CA_FILE"])
        conn = imaplib.IMAP4_SSL("127.0.0.1", int(self.env["IMAPS_PORT"]), ssl_context=ctx)
        conn.login(user, self.env["PASSWORD"])
        return conn

    def fetch(self, user):
        ctx = ssl.create_default_context(cafile=self.env["CA_FILE"])
        conn = imaplib.IMAP4_SSL("127.0.0.1", int(self.env["IMAPS_PORT"]), ssl_context=ctx)
        try:
            conn.login(user, self.env["PASSWORD"])
            conn.select("INBOX", readonly=True)
            typ, data = conn.uid("SEARCH", "ALL")
            uids = data[0].split()
            messages = []
            for uid in uids:
                typ, data = conn.uid("FETCH", uid, "(BODY.PEEK[])")
                messages.append(data[0][1])
            return messages
        finally:
            conn.logout()

    def check_delivery(self):
        raw = poll("the message in bob's inbox", lambda: self.fetch(GOOD), timeout=20)
        if len(raw) != 1:
            raise Failure("bob's inbox holds %d messages, not 1" % len(raw))
        msg = email.message_from_bytes(raw[0], policy=email.policy.default)
        problems = []
        if str(msg["subject"]) != SUBJECT:
            problems.append("subject %r, want %r" % (str(msg["subject"]), SUBJECT))
        sender = msg["from"].addresses[0] if msg["from"] else None
        if sender is None or sender.addr_spec != ADDRESS or sender.display_name != DISPLAY_NAME:
            problems.append("From %r, want %s <%s>" % (str(msg["from"]), DISPLAY_NAME, ADDRESS))
        plain = msg.get_body(preferencelist=("plain",))
        body = plain.get_content().replace("\r\n", "\n") if plain else None
        if body is None or body.rstrip("\n") != BODY:
            problems.append("plain body %r, want %r" % (body, BODY))
        got = {part.get_filename(): part.get_payload(decode=True) for part in msg.iter_attachments()}
        for path in self.files:
            name = os.path.basename(path)
            want = open(path, "rb").read()
            if name not in got:
                problems.append("no attachment named %r (got %r)" % (name, list(got)))
            elif got[name] != want:
                at = next((i for i, (a, b) in enumerate(zip(got[name], want)) if a != b),
                          min(len(got[name]), len(want)))
                problems.append("attachment %r differs from the file on disk at byte %d (%d bytes, want %d)"
                                % (name, at, len(got[name]), len(want)))
        if len(got) != len(self.files):
            problems.append("%d attachments, want %d" % (len(got), len(self.files)))
        if problems:
            raise Failure("; ".join(problems))

    def restart(self):
        """Closes Epistle and starts it again: the account (GSettings, keyfile backend in this
        HOME) and its password (the wrapper's gnome-keyring, Remember was on) sign in by
        themselves; the password is in no file under HOME in clear text."""
        self.epistle.terminate()
        self.epistle.wait(10)
        settings = os.path.join(os.environ["HOME"], ".config", "glib-2.0", "settings", "keyfile")
        text = open(settings, errors="replace").read() if os.path.exists(settings) else ""
        if ADDRESS not in text or self.env["SMTP_STARTTLS_PORT"] not in text:
            raise Failure("the settings file %s does not hold the account: %r" % (settings, text[:400]))
        secret = self.env["PASSWORD"].encode()
        for top, _, names in os.walk(os.environ["HOME"]):
            for name in names:
                path = os.path.join(top, name)
                if os.path.isfile(path) and not os.path.islink(path) and secret in open(path, "rb").read():
                    raise Failure("the password is in clear text in %s" % path)
        self.epistle = self.spawn("epistle-again", [os.environ["EPISTLE_BIN"]])
        self.app = App(self.epistle)
        self.screen = Screen(self.app)
        # The sign-in page shows until the keyring answers; then the composer, From alice.
        poll("the composer signed in as %s" % ADDRESS,
             lambda: (self.app.find_all(pyatspi.ROLE_TEXT, "To") and
                      self.app.find_all(pyatspi.ROLE_PUSH_BUTTON, "Send") and
                      any(ADDRESS in label for label in self.app.labels())), timeout=30)

    # --- the recipient's Inbox ---

    def config_path(self):
        config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.environ["HOME"], ".config")
        return os.path.join(config, "epistle", "account.ini")

    def gsettings(self, *args):
        """The gsettings tool on this HOME's keyfile backend, as the program sees it."""
        done = subprocess.run(["gsettings"] + list(args), capture_output=True, text=True, timeout=10)
        if done.returncode != 0:
            raise Failure("gsettings %s: %s" % (" ".join(args), done.stderr.strip()))
        return done.stdout.strip()

    def restart_as_recipient(self):
        """Closes the window, leaves bob's account file (naming the IMAP server) as the only
        account to migrate into the settings, and signs him in."""
        ids = ast.literal_eval(self.gsettings("get", SCHEMA, "accounts").replace("@as ", ""))
        if len(ids) != 1:
            raise Failure("the settings hold accounts %r, not alice's alone" % ids)
        pin = ast.literal_eval(self.gsettings(
            "get", "%s.Account:%s/accounts/%s/" % (SCHEMA, SCHEMA_PATH, ids[0]), "pin"))
        if not pin:
            raise Failure("the saved account holds no pinned certificate after trusting it")
        self.epistle.terminate()
        self.epistle.wait(10)
        # Bob's file is migrated once at start; with alice's account gone from the list he is
        # the only, so the default, account, and the keyring holds no password for him.
        self.gsettings("set", SCHEMA, "accounts", "@as []")
        self.gsettings("set", SCHEMA, "default-account", "")
        os.makedirs(os.path.dirname(self.config_path()), exist_ok=True)
        with open(self.config_path(), "w", encoding="utf-8") as f:
            f.write("[Account]\nAddress=%s\nDisplayName=%s\nPin=%s\n\n"
                    "[SMTP]\nHost=127.0.0.1\nPort=%s\nSecurity=starttls\n\n"
                    "[IMAP]\nHost=127.0.0.1\nPort=%s\nSecurity=tls\n"
                    % (GOOD, RECIPIENT_NAME, pin, self.env["SMTP_STARTTLS_PORT"], self.env["IMAPS_PORT"]))
        # A folder with a Chinese name (modified UTF-7 on the wire) holding one message.
        conn = self.imap(GOOD)
        try:
            conn.create(FOLDER_UTF7)
            msg = ("From: Carol <carol@example.test>\r\nTo: %s\r\nSubject: =?UTF-8?B?%s?=\r\n"
                   "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n"
                   % (GOOD, base64.b64encode(FOLDER_SUBJECT.encode()).decode()))
            typ, _ = conn.append(FOLDER_UTF7, None, None, msg.encode())
            if typ != "OK":
                raise Failure("APPEND to %s: %s" % (FOLDER, typ))
        finally:
            conn.logout()

        self.epistle = self.spawn("epistle-recipient", [os.environ["EPISTLE_BIN"]])
        self.app = App(self.epistle)
        self.screen = Screen(self.app)
        a, s = self.app, self.screen
        password = a.find(pyatspi.ROLE_PASSWORD_TEXT, "Password")
        address = a.find(pyatspi.ROLE_TEXT, "Email Address")
        if text_of(address) != GOOD:
            raise Failure("the sign-in page shows %r, not the saved %s" % (text_of(address), GOOD))
        s.focus(password, "Password")
        type_text(self.env["PASSWORD"], password)
        s.click(a.find(pyatspi.ROLE_PUSH_BUTTON, "Sign In"))
        a.find(pyatspi.ROLE_TEXT, "To", timeout=30)

    def message_row(self, subject):
        rows = [r for r in self.app.find_all(pyatspi.ROLE_LIST_ITEM) if subject in r.name]
        return rows[0] if rows else None

    def open_in_inbox(self):
        a, s = self.app, self.screen
        switch = a.find(pyatspi.ROLE_PAGE_TAB, "Inbox")
        s.click(switch)
        row = poll("the message in the Inbox list", lambda: self.message_row(SUBJECT), timeout=30)
        if DISPLAY_NAME not in row.name or "has attachments" not in row.name:
            raise Failure("the row reads %r: no sender or attachment marker" % row.name)
        if row.description != "Unread":
            raise Failure("the new message's row is described %r, not “Unread”" % row.description)
        s.click(row)
        body = a.find(pyatspi.ROLE_TEXT, "Message text", timeout=30)
        try:
            poll("the body shown", lambda: text_of(body).rstrip("\n") == BODY, timeout=10)
        except Failure as e:
            raise Failure("%s: it reads %r" % (e, text_of(body)))
        problems = []
        if not a.find_all(pyatspi.ROLE_LABEL, SUBJECT):
            problems.append("no label shows the subject %r" % SUBJECT)
        if not [l for l in a.find_all(pyatspi.ROLE_LABEL) if DISPLAY_NAME in l.name and ADDRESS in l.name]:
            problems.append("no label shows the sender %s <%s>" % (DISPLAY_NAME, ADDRESS))
        shown = sorted(b.name[len("Save “"):-1] for b in a.find_all(pyatspi.ROLE_PUSH_BUTTON)
                       if b.name.startswith("Save “"))
        want = sorted(os.path.basename(p) for p in self.files)
        if shown != want:
            problems.append("attachments %r, want %r" % (shown, want))
        if problems:
            raise Failure("; ".join(problems))
        poll("the row no longer described “Unread”",
             lambda: self.message_row(SUBJECT).description == "", timeout=10)

    def save_attachment(self):
        """Save… through the real file chooser, over a file already there: it asks, then replaces."""
        a, s = self.app, self.screen
        name = os.path.basename(self.files[0])
        folder = os.path.join(self.tmp, "saved")
        os.mkdir(folder)
        target = os.path.join(folder, name)
        with open(target, "wb") as f:
            f.write(b"an older file of the same name")
        windows = len(window_ids(self.epistle.pid))
        s.click(a.find(pyatspi.ROLE_PUSH_BUTTON, "Save “%s”" % name))
        poll("the file chooser open", lambda: len(window_ids(self.epistle.pid)) > windows, timeout=10)
        entry = a.find(pyatspi.ROLE_TEXT, "Name:", timeout=10)   # GTK's own file chooser
        wait_text(entry, name, "the attachment's name offered")
        s.focus(entry, "Name")
        clear_field(entry)
        type_text(target, entry)
        key("Return")
        # GTK's own question (a mnemonic button, named twice by GTK 4.8: not Epistle's name to judge).
        replace = poll("GTK's question “Replace” for the file already there",
                       lambda: a.find_all(pyatspi.ROLE_PUSH_BUTTON, predicate=lambda b: b.name.replace(
                           "_", "").split(" ")[0] == "Replace"), timeout=10)[0]
        if open(target, "rb").read() != b"an older file of the same name":
            raise Failure("the file was replaced before the question was answered")
        s.click(replace)
        want = open(self.files[0], "rb").read()
        poll("the saved file to match the attachment sent",
             lambda: open(target, "rb").read() == want, timeout=10)
        a.find(pyatspi.ROLE_LABEL, "The attachment was saved as “%s”." % target, timeout=10)

    def check_seen(self):
        conn = self.imap(GOOD)
        try:
            conn.select("INBOX", readonly=True)
            typ, data = conn.uid("SEARCH", "ALL")
            uids = data[0].split()
            if len(uids) != 1:
                raise Failure("bob's inbox holds %d messages, not 1" % len(uids))
            typ, data = conn.uid("FETCH", uids[0], "(FLAGS)")
            flags = data[0].decode()
        finally:
            conn.logout()
        if "\\Seen" not in flags:
            raise Failure("the message opened is not \\Seen on the server: %s" % flags)

    def choose_mailbox(self, wanted, options):
        s = self.screen
        dropdown = self.app.find(pyatspi.ROLE_COMBO_BOX, "Mailbox")
        # The selector stays insensitive until the server's list of mailboxes has come:
        # a click before that opens nothing.
        poll("the Mailbox selector enabled",
             lambda: dropdown.getState().contains(pyatspi.STATE_SENSITIVE), timeout=30, interval=0.2)
        current = self.selected_security(dropdown)
        s.open_popup(dropdown, "the Mailbox list open")
        # The list is in the drop-down's popover, beside the button that shows the choice.
        dropdown.clear_cache()
        button = [c for c in dropdown if c.getRole() == pyatspi.ROLE_PUSH_BUTTON][0]
        in_button = set(walk(button))
        listed = poll("the mailboxes listed", lambda: [
            acc.name for acc in walk(dropdown)
            if acc.getRole() == pyatspi.ROLE_LABEL and acc not in in_button and showing(acc)], timeout=5)
        steps = options.index(wanted) - options.index(current[0])
        key(*(["Down"] * steps if steps > 0 else ["Up"] * -steps))
        key("Return")
        poll("the Mailbox set to %s" % wanted, lambda: wanted in self.selected_security(dropdown), timeout=5)
        return listed

    def mailboxes(self):
        options = ["Inbox", "Sent", "Drafts", "Junk", "Trash", FOLDER]
        listed = self.choose_mailbox(FOLDER, options)
        if sorted(listed) != sorted(options):
            raise Failure("the selector lists %r, want %r" % (listed, options))
        poll("the message in %s listed" % FOLDER, lambda: self.message_row(FOLDER_SUBJECT), timeout=20)
        if self.message_row(SUBJECT):
            raise Failure("the inbox's message is still listed in %s" % FOLDER)
        self.choose_mailbox("Inbox", options)
        poll("the inbox listed again", lambda: self.message_row(SUBJECT), timeout=20)


def main():
    tap = Tap(PLAN)
    t = E2E()
    steps = [
        ("the mail stack starts", t.start_mailstack),
        ("epistle starts on the sign-in page", lambda: (t.make_files(), t.start_program())),
        ("signs in through the manual fields (STARTTLS)", t.sign_in),
        ("an untrusted certificate shows its SHA-256 fingerprint; trusting it opens the composer",
         t.trust_certificate),
        ("To, a Chinese subject and body are typed with real keystrokes", t.compose),
        ("two files attached by real XDND drops from another window", t.drop_files),
        ("Send shows the refusal dialog; Send to the Others sends to 1 recipient", t.send),
        ("the composer is cleared for the next message", t.check_cleared),
        ("bob receives the subject, From, plain body and attachments byte for byte", t.check_delivery),
        ("after a restart the account signs in from the keyring; the password is in no file",
         t.restart),
        ("epistle starts again as bob, whose account file names the IMAP server", t.restart_as_recipient),
        ("bob's Inbox lists the message as Unread; opened, it shows the subject, body and attachments",
         t.open_in_inbox),
        ("Save… asks before replacing a file, then writes the attachment byte for byte", t.save_attachment),
        ("the message opened is \\Seen on the server", t.check_seen),
        ("the mailbox selector lists the folders, 已发送 included, and lists the chosen one", t.mailboxes),
    ]
    ok = False
    try:
        ok = tap.run_steps(steps)
        # The issue names every widget exactly; GTK 4.8 doubles a mnemonic button's name.
        if doubled_names:
            tap.result(False, "accessible names are exact, not doubled: %s" % ", ".join(sorted(doubled_names)))
            ok = False
        else:
            tap.result(True, "accessible names are exact, not doubled")
        bad = logged_problems([t.log_path(name) for name in ("epistle", "epistle-recipient")])
        tap.result(not bad, "the program logged no warnings or criticals")
        if bad:
            Tap.comment("\n".join(bad[:10]))
            ok = False
    finally:
        t.cleanup(keep_logs=not ok)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
