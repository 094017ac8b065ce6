#!/usr/bin/python3
# test-i18n.py — every user-visible string is marked, listed in POTFILES.in and translated
#
# Copyright 2026 The Epistle authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   test-i18n.py SOURCE_ROOT
#
# TAP output.  Checks, each its own test point:
#   1. .ui files: every text property (label, title, tooltip, placeholder, accessible label, menu
#      label, string-list item …) is translatable="yes", or explicitly translatable="no", or a
#      non-word such as "TLS" in UI_ALLOW below.
#   2. C sources in src/: a literal string with words in it, passed to a user-facing setter
#      (GTK/Adw text setters, g_set_error, GError constructors, g_printerr, GOption help …),
#      sits inside _(), N_(), C_() or ngettext(); otherwise it is reported with its line.
#   3. po/POTFILES.in lists every file with a marked string, nothing without one, in its order
#      (.c sorted, then .ui sorted, then data files).
#   4. xgettext (meson's glib preset) extracts without warnings (a msgid cut short by a macro
#      such as G_GUINT64_FORMAT cannot be translated).
#   5. For each language in po/LINGUAS: the catalogue merged with a freshly extracted POT passes
#      `msgfmt --check --check-accelerators=_` (formats match, a mnemonic exactly where the
#      English has one) with no fuzzy and no untranslated message.

import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.abspath (sys.argv[1] if len (sys.argv) > 1 else
                        os.path.join (os.path.dirname (__file__), '..'))

# ---------------------------------------------------------------- TAP
results = []


def point (ok, name, diagnostics=()):
    results.append ((ok, name, list (diagnostics)))


def finish ():
    print ('1..%d' % len (results))
    failed = 0
    for n, (ok, name, diag) in enumerate (results, 1):
        print ('%s %d - %s' % ('ok' if ok else 'not ok', n, name))
        for line in diag:
            print ('# ' + line)
        failed += not ok
    sys.exit (1 if failed else 0)


def rel (path):
    return os.path.relpath (path, ROOT)


def sources (top, suffixes):
    found = []
    for dirpath, dirnames, filenames in os.walk (os.path.join (ROOT, top)):
        dirnames.sort ()
        for name in filenames:
            if name.endswith (suffixes):
                found.append (os.path.join (dirpath, name))
    return sorted (found)


# ---------------------------------------------------------------- 1. .ui files
# Properties that hold words a person reads.
UI_TEXT_PROPERTIES = {
    'label', 'title', 'subtitle', 'tooltip-text', 'tooltip-markup', 'placeholder-text',
    'text', 'description', 'heading', 'body', 'secondary-text', 'button-label',
    'accessible-name', 'accessible-description', 'primary-icon-tooltip-text',
    'secondary-icon-tooltip-text',
}
# Properties that are not prose even though their name says "title"/"text" elsewhere.
UI_NOT_TEXT = {'accelerator', 'icon-name', 'action-name', 'name', 'css-classes'}
# Words that stay as they are in every language; a .ui should say translatable="no" for them,
# or they are listed here with the reason.
UI_ALLOW = {
    'name@example.com',   # an example address
    'TLS', 'STARTTLS',    # protocol names
}


def has_words (text):
    """True when text holds something a translator would translate."""
    stripped = re.sub (r'%(\d+\$)?[-+ #0]*\d*(\.\d+)?(l|ll|h|z)?[sdiuxXcfp%]', '', text)
    stripped = re.sub (r'<[^>]+>', '', stripped)
    return re.search (r'[A-Za-z]{2,}', stripped) is not None


def check_ui (path):
    problems = []
    try:
        tree = ET.parse (path)
    except ET.ParseError as e:
        return ['%s: cannot parse: %s' % (rel (path), e)]
    parents = {child: parent for parent in tree.iter () for child in parent}

    def report (elem, what):
        text = (elem.text or '').strip ()
        if not text or not has_words (text):
            return
        flag = elem.get ('translatable')
        if flag == 'yes' or flag == 'true':
            return
        if flag in ('no', 'false'):
            return
        if text in UI_ALLOW:
            return
        problems.append ('%s: %s “%s” is not translatable="yes"' % (rel (path), what, text))

    for elem in tree.iter ():
        if elem.tag == 'property':
            name = elem.get ('name', '')
            if name in UI_NOT_TEXT:
                continue
            parent = parents.get (elem)
            in_a11y = parent is not None and parent.tag == 'accessibility'
            if name in UI_TEXT_PROPERTIES or in_a11y:
                report (elem, 'property “%s”' % name)
        elif elem.tag == 'attribute' and elem.get ('name') == 'label':
            report (elem, 'menu label')
        elif elem.tag == 'item':
            parent = parents.get (elem)
            if parent is not None and parent.tag == 'items':
                report (elem, 'string list item')
        elif elem.tag == 'mime-type' or elem.tag == 'pattern':
            continue
    return problems


# ---------------------------------------------------------------- 2. C sources
# Function → indices of the arguments a person reads; '*' means every argument after the first,
# 'pairs' every second one from index 2 (adw_message_dialog_add_responses: id, label, …, NULL).
C_USER_FUNCTIONS = {
    'gtk_label_set_text': [1], 'gtk_label_set_label': [1], 'gtk_label_set_markup': [1],
    'gtk_label_new': [0], 'gtk_label_new_with_mnemonic': [0],
    'gtk_button_set_label': [1], 'gtk_button_new_with_label': [0],
    'gtk_button_new_with_mnemonic': [0], 'gtk_check_button_set_label': [1],
    'gtk_widget_set_tooltip_text': [1], 'gtk_widget_set_tooltip_markup': [1],
    'gtk_window_set_title': [1], 'gtk_entry_set_placeholder_text': [1],
    'gtk_text_set_placeholder_text': [1], 'gtk_menu_button_set_label': [1],
    'gtk_file_chooser_native_new': [0, 3, 4], 'gtk_file_filter_set_name': [1],
    'gtk_accessible_update_property': '*', 'gtk_accessible_update_relation': '*',
    'g_menu_append': [1], 'g_menu_item_new': [0], 'g_menu_insert': [2], 'g_menu_prepend': [1],
    'adw_toast_new': [0], 'adw_toast_new_format': [0], 'adw_toast_set_title': [1],
    'adw_toast_set_button_label': [1],
    'adw_message_dialog_new': [1, 2], 'adw_message_dialog_set_heading': [1],
    'adw_message_dialog_set_body': [1], 'adw_message_dialog_format_heading': [1],
    'adw_message_dialog_format_body': [1], 'adw_message_dialog_format_body_markup': [1],
    'adw_message_dialog_add_response': [2], 'adw_message_dialog_add_responses': 'pairs',
    'adw_message_dialog_set_response_label': [2],
    'adw_status_page_set_title': [1], 'adw_status_page_set_description': [1],
    'adw_window_title_new': [0, 1], 'adw_window_title_set_title': [1],
    'adw_window_title_set_subtitle': [1], 'adw_preferences_row_set_title': [1],
    'adw_preferences_group_set_title': [1], 'adw_preferences_group_set_description': [1],
    'adw_action_row_set_subtitle': [1], 'adw_entry_row_set_text': [],
    'adw_banner_set_title': [1], 'adw_about_window_set_comments': [1],
    'adw_about_window_set_application_name': [1], 'adw_about_window_set_translator_credits': [1],
    'g_set_error': [3], 'g_set_error_literal': [3], 'g_error_new': [2],
    'g_error_new_literal': [2], 'g_prefix_error': [1], 'g_prefix_error_literal': [1],
    'g_propagate_prefixed_error': [2], 'g_task_return_new_error': [3],
    'g_printerr': [0], 'g_print': [0],
    'g_option_context_new': [0], 'g_option_context_set_summary': [1],
    'g_option_context_set_description': [1], 'g_option_group_new': [1, 2],
    'g_application_set_option_context_summary': [1],
    'g_application_set_option_context_description': [1],
    'g_application_set_option_context_parameter_string': [1],
    'g_application_add_main_option': [4, 5],
}
# Calls whose contents are translated (or deliberately passed through for translation).
MARKERS = ('_', 'N_', 'C_', 'NC_', 'Q_', 'ngettext', 'g_dngettext', 'g_dpgettext2',
           'dngettext', 'gettext', 'g_dgettext')
# Literals that are not prose, each with the reason: (file, literal) or (None, literal) anywhere.
C_ALLOW = {
    (None, 'epistle: %s\\n'),                    # the program's name before a translated message
    ('src/ui/ep-application.c', 'epistle %s\\n'),  # --version: name and number
    # `epistle send`'s result lines are a machine interface that scripts parse.
    ('src/cli/ep-cli-send.c', 'accepted %s\\n'),
    ('src/cli/ep-cli-send.c', 'rejected %s: %s\\n'),
    ('src/cli/ep-cli-send.c', 'server: %s\\n'),
    ('src/cli/ep-cli-send.c', 'message-id: <%s>\\n'),
    ('src/cli/ep-cli-inbox.c', 'sent-copy: already in %s\\n'),
    ('src/cli/ep-cli-inbox.c', 'sent-copy: saved in %s\\n'),
    # Internal sentinels, replaced by a translated sentence before anyone sees them.
    ('src/core/ep-smtp-transfer.c', 'chunk refused'),  # transfer reports the server's reply instead
    ('src/core/ep-tls.c', 'deadline'),           # ep-transport.c rewrites TIMED_OUT as “Timed out: …”
    ('src/core/ep-transport.c', 'deadline'),
}

STRING_RE = re.compile (r'"(?:[^"\\\n]|\\.)*"')


def strip_comments (text):
    """Blank out comments and keep strings and line numbers."""
    out = []
    i = 0
    n = len (text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append (text[i:j + 1])
            i = j + 1
        elif text.startswith ('/*', i):
            j = text.find ('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append (re.sub (r'[^\n]', ' ', text[i:j]))
            i = j
        elif text.startswith ('//', i):
            j = text.find ('\n', i)
            j = n if j < 0 else j
            out.append (' ' * (j - i))
            i = j
        else:
            out.append (c)
            i += 1
    return ''.join (out)


def balanced (text, start):
    """text[start] is '('; return the index of its ')' (strings skipped)."""
    depth = 0
    i = start
    while i < len (text):
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < len (text) and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            i = j + 1
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len (text) - 1


def split_args (text):
    """Split a call's argument text at its top-level commas."""
    args = []
    depth = 0
    cur = []
    i = 0
    while i < len (text):
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < len (text) and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            cur.append (text[i:j + 1])
            i = j + 1
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
        if c == ',' and depth == 0:
            args.append (''.join (cur))
            cur = []
        else:
            cur.append (c)
        i += 1
    args.append (''.join (cur))
    return args


MARKER_RE = re.compile (r'\b(%s)\s*\(' % '|'.join (re.escape (m) for m in MARKERS))


def without_marked (text):
    """Remove every marked call, so the literals left over are the unmarked ones."""
    while True:
        m = MARKER_RE.search (text)
        if not m:
            return text
        end = balanced (text, m.end () - 1)
        text = text[:m.start ()] + ' ' * (end + 1 - m.start ()) + text[end + 1:]


def unmarked_literals (arg, path):
    rest = without_marked (arg)
    for lit in STRING_RE.findall (rest):
        body = lit[1:-1]
        if has_words (body) and (None, body) not in C_ALLOW and (rel (path), body) not in C_ALLOW:
            yield body


CALL_RE = re.compile (r'\b(%s)\s*\(' % '|'.join (sorted (C_USER_FUNCTIONS, key=len, reverse=True)))
OPTION_TABLE_RE = re.compile (r'GOptionEntry\s+\w+\s*\[\s*\]\s*=\s*\{')


def check_c (path):
    with open (path, encoding='utf-8') as f:
        text = strip_comments (f.read ())
    problems = []

    def where (offset):
        return '%s:%d' % (rel (path), text.count ('\n', 0, offset) + 1)

    for m in CALL_RE.finditer (text):
        close = balanced (text, m.end () - 1)
        args = split_args (text[m.end ():close])
        wanted = C_USER_FUNCTIONS[m.group (1)]
        if wanted == '*':
            indices = range (1, len (args))
        elif wanted == 'pairs':
            indices = range (2, len (args), 2)
        else:
            indices = wanted
        for i in indices:
            if i < len (args):
                for lit in unmarked_literals (args[i], path):
                    problems.append ('%s: %s () is given “%s” without _()'
                                     % (where (m.start ()), m.group (1), lit))
    # GOptionEntry tables: the 6th and 7th fields are --help text.
    for m in OPTION_TABLE_RE.finditer (text):
        close = balanced (text, m.end () - 1)
        body = text[m.end ():close]
        for entry in re.finditer (r'\{', body):
            end = balanced (body, entry.start ())
            fields = split_args (body[entry.start () + 1:end])
            for field in fields[5:7]:
                for lit in unmarked_literals (field, path):
                    problems.append ('%s: option help “%s” without N_()'
                                     % (where (m.end () + entry.start ()), lit))
    # A format macro inside _() cuts the msgid short: "…%" G_GUINT64_FORMAT "…".
    for m in re.finditer (r'\b(?:N?_|C_)\s*\(', text):
        close = balanced (text, m.end () - 1)
        if re.search (r'"\s*G_G\w+_FORMAT\s*"', text[m.end ():close]):
            problems.append ('%s: a G_*_FORMAT macro inside _() makes an untranslatable msgid; '
                             'use %%llu / %%lld with a cast' % where (m.start ()))
    return problems


# ---------------------------------------------------------------- 3. POTFILES.in
def has_marks (path):
    with open (path, encoding='utf-8') as f:
        text = f.read ()
    if path.endswith ('.c'):
        return MARKER_RE.search (strip_comments (text)) is not None
    if path.endswith ('.ui'):
        return re.search (r'translatable="(yes|true)"', text) is not None
    if path.endswith ('.desktop.in'):
        return re.search (r'^(Name|GenericName|Comment|Keywords)=', text, re.M) is not None
    if path.endswith (('.metainfo.xml.in', '.appdata.xml.in')):
        return True
    if path.endswith ('.gschema.xml'):
        return re.search (r'<(summary|description)', text) is not None
    return False


def potfiles_order_key (path):
    group = 0 if path.endswith ('.c') else 1 if path.endswith ('.ui') else 2
    return (group, path)


def check_potfiles ():
    with open (os.path.join (ROOT, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        listed = [l.strip () for l in f if l.strip () and not l.startswith ('#')]
    problems = []
    candidates = (sources ('src', ('.c', '.ui')) +
                  sources ('data', ('.desktop.in', '.metainfo.xml.in', '.appdata.xml.in',
                                    '.gschema.xml')))
    marked = {rel (p) for p in candidates if has_marks (p)}
    for p in listed:
        if not os.path.exists (os.path.join (ROOT, p)):
            problems.append ('po/POTFILES.in lists %s, which does not exist' % p)
        elif p not in marked:
            problems.append ('po/POTFILES.in lists %s, which has no marked string' % p)
    for p in sorted (marked - set (listed)):
        problems.append ('%s has marked strings but is not in po/POTFILES.in' % p)
    if listed != sorted (listed, key=potfiles_order_key):
        problems.append ('po/POTFILES.in is not sorted (.c, then .ui, then data files)')
    if len (set (listed)) != len (listed):
        problems.append ('po/POTFILES.in lists a file twice')
    return problems, listed


# ---------------------------------------------------------------- 4./5. catalogues
XGETTEXT_GLIB = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]


def run (argv, **kw):
    return subprocess.run (argv, capture_output=True, text=True, **kw)


def extract_pot (tmp):
    pot = os.path.join (tmp, 'epistle.pot')
    p = run (['xgettext', '--package-name=epistle', '-p', tmp, '-o', 'epistle.pot',
              '-D', ROOT, '-f', os.path.join (ROOT, 'po', 'POTFILES.in')] + XGETTEXT_GLIB,
             cwd=ROOT)
    return pot, p


def check_catalogue (lang, pot, tmp):
    po = os.path.join (ROOT, 'po', lang + '.po')
    if not os.path.exists (po):
        return ['po/%s.po does not exist' % lang]
    merged = os.path.join (tmp, lang + '.po')
    p = run (['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, po, pot])
    if p.returncode != 0:
        return ['msgmerge failed: ' + p.stderr.strip ()]
    p = run (['msgfmt', '--check', '--check-accelerators=_', '--statistics', '-o', os.devnull,
              merged],
             env=dict (os.environ, LC_ALL='C'))
    problems = []
    if p.returncode != 0:
        problems.append ('msgfmt --check failed:')
        problems += p.stderr.strip ().splitlines ()
    stats = p.stderr.strip ().splitlines ()[-1] if p.stderr.strip () else ''
    if re.search (r'fuzzy|untranslated', stats):
        problems.append ('po/%s.po against the current sources: %s' % (lang, stats))
        # Name the messages, so the failure says what to translate.
        q = run (['msgattrib', '--untranslated', '--no-obsolete', '--no-wrap', merged])
        q2 = run (['msgattrib', '--only-fuzzy', '--no-obsolete', '--no-wrap', merged])
        for out, what in ((q.stdout, 'untranslated'), (q2.stdout, 'fuzzy')):
            for mid in re.findall (r'^msgid "(.+)"$', out, re.M):
                problems.append ('  %s: “%s”' % (what, mid))
    elif not problems:
        problems.append ('(%s) %s' % (lang, stats))
    # The header must give zh_CN its one form; other languages bring their own.
    with open (po, encoding='utf-8') as f:
        head = f.read (4000)
    if lang.startswith ('zh') and 'Plural-Forms: nplurals=1; plural=0;' not in head:
        problems.append ('po/%s.po needs "Plural-Forms: nplurals=1; plural=0;"' % lang)
    return problems


def main ():
    ui_problems = []
    for path in sources ('src', ('.ui',)):
        ui_problems += check_ui (path)
    point (not ui_problems, 'every text in the .ui files is translatable', ui_problems)

    c_problems = []
    for path in sources ('src', ('.c',)):
        c_problems += check_c (path)
    point (not c_problems, 'every user-facing literal in src/*.c is marked for translation',
           c_problems)

    pf_problems, _listed = check_potfiles ()
    point (not pf_problems, 'po/POTFILES.in lists exactly the files with marked strings',
           pf_problems)

    with open (os.path.join (ROOT, 'po', 'LINGUAS'), encoding='utf-8') as f:
        linguas = [w for l in f if not l.startswith ('#') for w in l.split ()]
    point ('zh_CN' in linguas, 'po/LINGUAS names zh_CN', [] if 'zh_CN' in linguas
           else ['po/LINGUAS: %s' % ' '.join (linguas)])

    with tempfile.TemporaryDirectory (prefix='epistle-i18n-') as tmp:
        pot, p = extract_pot (tmp)
        warnings = [l for l in p.stderr.splitlines () if l.strip ()]
        point (p.returncode == 0 and not warnings,
               'xgettext extracts every marked string without a warning', warnings)
        for lang in linguas:
            problems = check_catalogue (lang, pot, tmp) if p.returncode == 0 else ['no POT']
            ok = not any (not l.startswith ('(') for l in problems)
            point (ok, 'po/%s.po is complete, without fuzzy entries, and compiles' % lang,
                   problems)
    finish ()


if __name__ == '__main__':
    main ()
