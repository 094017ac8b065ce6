# epistle_driver.py — find Epistle's widgets through AT-SPI and act on them with real X input
#
# Copyright 2026 The Epistle authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Shared by the end-to-end tests (tests/ui/test-*e2e.py) and build-aux/screenshots. Needs DISPLAY and a
# session bus with the accessibility services (tests/ui/xvfb-wrapper gives both),
# xdotool and ImageMagick. Facts behind it: ../shared/notes/testing-gui.md —
# GTK 4.8 reports extents relative to the toplevel, sets SHOWING on toplevels
# only, and doubles a mnemonic button's name.
import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import tempfile
import time
import traceback

import pyatspi

STEP_TIMEOUT = 20

class Failure(Exception):
    pass



def poll(what, fn, timeout=STEP_TIMEOUT, interval=0.1):
    """Calls fn until it returns something true; raises Failure(what) at the deadline."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = fn()
            if value:
                return value
        except Failure as e:
            if str(e).startswith("epistle exited"):
                raise
            last_error = e
        except (RuntimeError, LookupError, OSError) as e:
            last_error = e
        time.sleep(interval)
    raise Failure("timed out after %g s waiting for %s%s"
                  % (timeout, what, " (last error: %s)" % last_error if last_error else ""))


# --- X input ----------------------------------------------------------------

def xdotool(*args):
    r = subprocess.run(["xdotool"] + [str(a) for a in args], capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure("xdotool %s: %s" % (" ".join(map(str, args)), r.stderr.strip()))
    return r.stdout


def window_ids(pid):
    try:
        return xdotool("search", "--onlyvisible", "--pid", pid).split()
    except Failure:
        return []


def window_geometry(wid):
    values = dict(line.split("=", 1) for line in xdotool("getwindowgeometry", "--shell", wid).split())
    return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])


def window_is_drawn(wid):
    """True once the window's image is not all black (a cold first frame can be)."""
    shot = subprocess.run(["import", "-window", wid, "png:-"], capture_output=True)
    if shot.returncode != 0:
        return False
    r = subprocess.run(["convert", "png:-", "-format", "%[fx:maxima]", "info:"],
                       input=shot.stdout, capture_output=True)
    return r.returncode == 0 and float(r.stdout.decode() or 0) > 0


class _Keymap:
    """Gives each non-ASCII character its own keycode before it is typed, once.

    xdotool types a character missing from the keymap by binding a spare
    keycode to it and unbinding it after; GTK translates a key with the map it
    holds when it handles the event, so a Chinese character typed again, or
    right after ASCII, came out as nothing ("bob, 陈静 <c…>" as "bob,  <c…>").
    With every character bound to a free keycode of its own for the whole run,
    the map never changes while keys are typed. Through libX11 (ctypes), as
    Debian 12's xdotool has no command for it and xmodmap may be absent.
    """

    def __init__(self):
        self.x = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11"))
        self.x.XOpenDisplay.restype = ctypes.c_void_p
        self.x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x.XGetKeyboardMapping.restype = ctypes.POINTER(ctypes.c_ulong)
        self.x.XGetKeyboardMapping.argtypes = [ctypes.c_void_p, ctypes.c_ubyte, ctypes.c_int,
                                               ctypes.POINTER(ctypes.c_int)]
        self.x.XChangeKeyboardMapping.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                                  ctypes.POINTER(ctypes.c_ulong), ctypes.c_int]
        self.x.XDisplayKeycodes.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int),
                                            ctypes.POINTER(ctypes.c_int)]
        self.x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.x.XFree.argtypes = [ctypes.c_void_p]
        self.dpy = self.x.XOpenDisplay(None)
        if not self.dpy:
            raise Failure("cannot open the X display")
        self.bound = set()

    def bind(self, chars):
        chars = sorted(set(c for c in chars if ord(c) > 0x7f) - self.bound)
        if not chars:
            return
        lo, hi, per = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
        self.x.XDisplayKeycodes(self.dpy, ctypes.byref(lo), ctypes.byref(hi))
        n = hi.value - lo.value + 1
        m = self.x.XGetKeyboardMapping(self.dpy, lo.value, n, ctypes.byref(per))
        def spare(syms):
            # Unused, or a multimedia (XF86) or F13–F35 key no test presses; not one bound here.
            return all(k == 0 or 0x1008FF00 <= k <= 0x1008FFFF or 0xFFCA <= k <= 0xFFE0 for k in syms) \
                and not any(k & 0xFF000000 == 0x01000000 for k in syms)
        rows = [[m[i * per.value + j] for j in range(per.value)] for i in range(n)]
        self.x.XFree(m)
        # Keycodes with no symbol at all stay free: xdotool binds its scratch key there.
        free = [lo.value + i for i, syms in enumerate(rows) if spare(syms) and any(syms)]
        if len(free) < len(chars):
            raise Failure("only %d spare keycodes for %d characters" % (len(free), len(chars)))
        for c, code in zip(chars, free):
            keysym = 0x01000000 | ord(c)  # a Unicode keysym
            row = (ctypes.c_ulong * per.value)(*([keysym, keysym] + [0] * (per.value - 2)))
            self.x.XChangeKeyboardMapping(self.dpy, code, per.value, row, 1)
            self.bound.add(c)
        self.x.XSync(self.dpy, 0)
        time.sleep(0.3)  # the clients' MappingNotify


_keymap = None


def type_text(text, acc=None):
    """Types TEXT with real keystrokes (xdotool); with ACC, waits until it has arrived there.

    The wait counts characters: type at the end of ACC's text, with no selection.
    """
    global _keymap
    if any(ord(c) > 0x7f for c in text):
        if _keymap is None:
            _keymap = _Keymap()
        _keymap.bind(text)
    before = text_length(acc) if acc is not None else 0
    # One `type` per call: xdotool takes every remaining argument as text.
    xdotool("type", "--delay", "15", text)
    if acc is not None:
        poll("“%s” typed" % text, lambda: text_length(acc) >= before + len(text), timeout=10, interval=0.05)


def clear_field(acc):
    """Empties the focused field ACC with Ctrl+A, BackSpace, and waits until it is empty."""
    if text_length(acc):
        key("ctrl+a", "BackSpace")
        poll("the field emptied", lambda: text_length(acc) == 0, timeout=5, interval=0.05)


def text_length(acc):
    return acc.queryText().characterCount


def key(*keys):
    xdotool("key", "--delay", "30", *keys)


# --- AT-SPI -----------------------------------------------------------------

# GTK 4.8 names a button with a mnemonic "_Sign In Sign In": its label property
# (raw, underscore included) and then the label child that names it by mnemonic.
# AdwMessageDialog's response buttons come out "Send to the Others Send to the
# Others" the same way. The issue asks for exactly "Sign In": this accepts both
# and remembers each doubled name, reported as a TODO at the end.
doubled_names = set()


def name_matches(actual, wanted):
    if actual == wanted:
        return True
    m = re.fullmatch(r"(.+) \1", actual.replace("_", ""))
    if m and m.group(1) == wanted:
        doubled_names.add(actual)
        return True
    return False


def showing(acc):
    # GTK 4.8 sets SHOWING on toplevels only, and VISIBLE on every widget whose own
    # visible flag is set, even on a hidden stack page: a widget that is not on
    # screen has an empty extent.
    try:
        if not acc.getState().contains(pyatspi.STATE_VISIBLE):
            return False
        e = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return e.width > 0 and e.height > 0
    except Exception:
        return False


def walk(acc, depth=0):
    if acc is None or depth > 60:
        return
    yield acc
    try:
        children = list(acc)
    except Exception:
        return
    for child in children:
        yield from walk(child, depth + 1)


class App:
    def __init__(self, proc):
        self.proc = proc
        self.pid = proc.pid

    def root(self):
        if self.proc.poll() is not None:
            raise Failure("epistle exited with status %d" % self.proc.returncode)
        desktop = pyatspi.Registry.getDesktop(0)
        desktop.clear_cache()   # a program started since the last look (a restart) is listed
        for app in desktop:
            try:
                if app is not None and app.get_process_id() == self.pid:
                    # libatspi caches children and names and refreshes them from events, which
                    # only a running main loop receives: without one, a widget shown since
                    # (the send status, a dialog's buttons) would stay unseen. Read afresh.
                    app.clear_cache()
                    return app
            except Exception:
                continue
        raise LookupError("the program is not on the accessibility bus")

    def find_all(self, role=None, name=None, visible=True, predicate=None):
        found = []
        for acc in walk(self.root()):
            try:
                if role is not None and acc.getRole() != role:
                    continue
                if name is not None and not name_matches(acc.name, name):
                    continue
                if predicate is not None and not predicate(acc):
                    continue
            except Exception:
                continue
            if visible and not showing(acc):
                continue
            found.append(acc)
        return found

    def find(self, role, name, timeout=STEP_TIMEOUT, visible=True):
        def one():
            hits = self.find_all(role, name, visible)
            return hits[0] if hits else None
        return poll("a showing %s “%s”" % (role, name), one, timeout)

    def labels(self):
        return [acc.name for acc in self.find_all(pyatspi.ROLE_LABEL)]


def toplevel_of(acc):
    while acc is not None:
        parent = acc.parent
        if parent is None or parent.getRole() == pyatspi.ROLE_APPLICATION:
            return acc
        acc = parent
    return None


def text_of(acc):
    t = acc.queryText()
    return t.getText(0, t.characterCount)


def wait_text(acc, want, what, timeout=10):
    try:
        poll(what, lambda: text_of(acc) == want, timeout=timeout)
    except Failure as e:
        raise Failure("%s: the field reads %r, want %r" % (e, text_of(acc), want))


def describe(top):
    out = []
    for acc in walk(top):
        try:
            e = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
            out.append("%s %r %dx%d" % (acc.getRoleName(), acc.name, e.width, e.height))
        except Exception:
            out.append("%s %r" % (acc.getRoleName(), acc.name))
    return "; ".join(out)


def focused(acc):
    return acc.getState().contains(pyatspi.STATE_FOCUSED)


class Screen:
    """Maps accessible extents (relative to their toplevel in GTK 4.8) to root coordinates."""

    def __init__(self, app):
        self.app = app

    def xid_for(self, top):
        w = top.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        ids = window_ids(self.app.pid)
        if not ids:
            raise Failure("the program has no visible X window")
        # Several windows (a dialog): the one the toplevel's size fits best.
        def misfit(wid):
            _, _, width, height = window_geometry(wid)
            return abs(width - w.width) + abs(height - w.height)
        return min(ids, key=misfit)

    def centre(self, acc):
        top = toplevel_of(acc)
        wx, wy, ww, wh = window_geometry(self.xid_for(top))
        e = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        t = top.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        # Without a compositor the X window is the toplevel plus its CSD margin on every side.
        margin_x = (ww - t.width) // 2 if ww > t.width else 0
        margin_y = (wh - t.height) // 2 if wh > t.height else 0
        return wx + margin_x + e.x + e.width // 2, wy + margin_y + e.y + e.height // 2

    def click(self, acc):
        x, y = self.centre(acc)
        xdotool("mousemove", "--sync", x, y, "click", "1")

    def open_popup(self, acc, what, timeout=20):
        """Clicks a drop-down until its list opens: its own X window. A click that lands while
        the window is busy drawing can be lost; one more then opens it."""
        pid = self.app.pid
        before = len(window_ids(pid))

        def attempt():
            if len(window_ids(pid)) > before:
                return True   # the last click's list came late, but came: a click now would close it
            self.click(acc)
            try:
                poll(what, lambda: len(window_ids(pid)) > before, timeout=5)
                return True
            except Failure:
                return False
        poll(what, attempt, timeout=timeout, interval=0)

    def focus(self, acc, what):
        """Clicks a field until it has the keyboard focus."""
        def attempt():
            self.click(acc)
            time.sleep(0.1)
            return focused(acc)
        poll("the keyboard focus in %s" % what, attempt, timeout=10, interval=0.3)


# --- The keyring ----------------------------------------------------------------

def keyring_holds_password(address):
    """True when the session's Secret Service (the wrapper's gnome-keyring) holds Epistle's
    password for ADDRESS (src/core/ep-secret-store.c's schema and attributes), asked over
    D-Bus as the program's libsecret does, so a restart knows whether to expect the program
    to sign in by itself."""
    from gi.repository import Gio, GLib
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    attributes = {"xdg:schema": "io.github.epistle.Epistle.Account",
                  "address": address.lower(), "kind": "password"}
    reply = bus.call_sync("org.freedesktop.secrets", "/org/freedesktop/secrets",
                          "org.freedesktop.Secret.Service", "SearchItems",
                          GLib.Variant("(a{ss})", (attributes,)), GLib.VariantType("(aoao)"),
                          Gio.DBusCallFlags.NONE, 10000, None)
    unlocked, locked = reply.unpack()
    return bool(unlocked or locked)


# --- Drag and drop ------------------------------------------------------------

DRAG_ROW_HEIGHT = 60  # tests/ui/drag-source.c's ROW_HEIGHT


def open_drag_source(binary, files, x, y, log):
    """Starts tests/ui/drag-source for FILES, moved to X,Y; returns it and each row's centre."""
    src = subprocess.Popen([binary] + list(files), stdout=subprocess.PIPE, stderr=log,
                           stdin=subprocess.DEVNULL, text=True)
    if src.stdout.readline().strip() != "ready":
        raise Failure("drag-source did not start")
    wid = poll("the drag-source window", lambda: (window_ids(src.pid) or [None])[0])
    xdotool("windowmove", "--sync", wid, x, y)
    poll("the drag-source window drawn", lambda: window_is_drawn(wid))
    sx, sy, sw, _ = window_geometry(wid)
    return src, [(sx + sw // 2, sy + DRAG_ROW_HEIGHT // 2 + DRAG_ROW_HEIGHT * i) for i in range(len(files))]


def drag_and_drop(x0, y0, x1, y1):
    """A real XDND drag as XTest makes it: press, small moves, travel, a pause over the target, release."""
    xdotool("mousemove", "--sync", x0, y0)
    xdotool("mousedown", "1")
    # Past the drag threshold in small steps, so GTK starts the drag ...
    for step in range(1, 13):
        xdotool("mousemove", "--sync", x0 - 3 * step, y0 + step)
        time.sleep(0.02)
    # ... then across to the target, which gets motion events, and a pause there.
    for step in range(1, 13):
        xdotool("mousemove", "--sync", x0 - 36 + (x1 - x0 + 36) * step // 12,
                y0 + 12 + (y1 - y0 - 12) * step // 12)
        time.sleep(0.03)
    time.sleep(0.5)
    xdotool("mouseup", "1")


# --- TAP and the harness a test runs in ------------------------------------------

class Tap:
    """TAP on stdout: a plan, then one line per step; comments carry the reasons."""

    def __init__(self, plan):
        self.n = 0
        print("1..%d" % plan, flush=True)

    def result(self, ok, description, directive=""):
        self.n += 1
        print("%s %d - %s%s" % ("ok" if ok else "not ok", self.n, description, directive), flush=True)

    @staticmethod
    def comment(text):
        for line in str(text).splitlines():
            print("# " + line, flush=True)

    def check(self, description, fn):
        """Runs fn as one step: ok, or not ok with the reason (and where, for a bug in the test)."""
        try:
            fn()
        except Failure as e:
            self.result(False, description)
            self.comment("%s\n%s" % (e, traceback.format_exc()))
            return False
        except Exception:  # a bug here, or AT-SPI gone: still TAP
            self.result(False, description)
            self.comment(traceback.format_exc())
            return False
        self.result(True, description)
        return True

    def run_steps(self, steps):
        """Runs (description, fn) steps in order; after a failure the rest are skipped.
        Returns True when every step passed."""
        failed = False
        for description, step in steps:
            if failed:
                self.result(False, description, " # SKIP an earlier step failed")
            elif not self.check(description, step):
                failed = True
        return not failed


def logged_problems(paths):
    """The WARNING and CRITICAL lines in the program logs at PATHS (missing files are skipped)."""
    bad = []
    for path in paths:
        if os.path.exists(path):
            bad += [l for l in open(path, errors="replace").read().splitlines()
                    if "CRITICAL" in l or "WARNING" in l]
    return bad


class Harness:
    """A private folder (Postfix's and Dovecot's users can traverse it), the harness's mail stack
    in it, and the processes a test starts, each with a log file there."""

    def __init__(self, prefix):
        self.tmp = tempfile.mkdtemp(prefix=prefix)
        os.chmod(self.tmp, 0o755)
        self.stack = os.path.join(self.tmp, "stack")
        self.procs = []
        self.env = {}

    def start_mailstack(self):
        with open(os.path.join(self.tmp, "mailstack.log"), "w") as log:
            r = subprocess.run([os.environ["EPISTLE_MAILSTACK"], "start", self.stack, str(os.getpid())],
                               stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise Failure("mailstack did not start: " + open(log.name).read()[-800:])
        for line in open(os.path.join(self.stack, "env")):
            k, _, v = line.strip().partition("=")
            self.env[k] = v

    def log_path(self, name):
        return os.path.join(self.tmp, name + ".log")

    def spawn(self, name, argv, **kw):
        """Starts argv with its output appended to NAME.log (a restart keeps the earlier lines)."""
        log = open(self.log_path(name), "a")
        proc = subprocess.Popen(argv, stdout=kw.pop("stdout", log), stderr=log,
                                stdin=subprocess.DEVNULL, **kw)
        self.procs.append((name, proc))
        return proc

    def start_epistle(self, name="epistle", argv=()):
        """The real program; returns once its first frame is drawn."""
        proc = self.spawn(name, [os.environ["EPISTLE_BIN"]] + list(argv))

        def drawn():
            if proc.poll() is not None:
                raise Failure("epistle exited with status %d" % proc.returncode)
            ids = window_ids(proc.pid)
            return ids and window_is_drawn(ids[0])
        poll("the first drawn frame", drawn)
        return proc

    def cleanup(self, keep_logs, names=()):
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        subprocess.run([os.environ["EPISTLE_MAILSTACK"], "purge", self.stack],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if keep_logs:
            for name in names:
                path = self.log_path(name)
                if os.path.exists(path):
                    text = open(path, errors="replace").read().strip()
                    if text:
                        Tap.comment("--- %s.log (last lines) ---" % name)
                        Tap.comment("\n".join(text.splitlines()[-25:]))
        shutil.rmtree(self.tmp, ignore_errors=True)
