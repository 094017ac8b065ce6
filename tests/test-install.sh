#!/bin/sh
# test-install.sh — `meson install` into a temporary DESTDIR, then the desktop's own
# validators on what was installed: the program, the .desktop file (the mailto:
# handler), the AppStream metainfo, both icons, the GSettings schema (compiled by the
# install script) and the Chinese catalogue. TAP on standard output.
#
# Copyright 2026 The Epistle authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
build=$1
prefix=$2
app=io.github.epistle.Epistle
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
root=$dest$prefix
n=0
failed=0
check () {   # check DESCRIPTION COMMAND…
  n=$((n + 1))
  description=$1; shift
  if out=$("$@" 2>&1); then
    echo "ok $n - $description"
  else
    echo "not ok $n - $description"
    printf '%s\n' "$out" | sed 's/^/# /'
    failed=1
  fi
}

echo "1..9"
check "meson install into a DESTDIR" meson install -C "$build" --destdir "$dest" --no-rebuild --quiet
check "the program is installed and runs" "$root/bin/epistle" --version
check "the desktop file passes desktop-file-validate" \
  desktop-file-validate "$root/share/applications/$app.desktop"
check "the desktop file registers the mailto: handler" \
  grep -qxF "MimeType=x-scheme-handler/mailto;" "$root/share/applications/$app.desktop"
check "the metainfo passes appstreamcli validate" \
  appstreamcli validate --no-net "$root/share/metainfo/$app.metainfo.xml"
check "the scalable and the symbolic icon are installed" \
  test -s "$root/share/icons/hicolor/scalable/apps/$app.svg" -a \
       -s "$root/share/icons/hicolor/symbolic/apps/$app-symbolic.svg"
check "the GSettings schema is installed and valid" \
  glib-compile-schemas --strict --dry-run "$root/share/glib-2.0/schemas"
# meson's post-install step leaves compiling to the packager under a DESTDIR: compile here.
check "the installed schema compiles and holds Epistle's keys" sh -c '
  glib-compile-schemas "$1" && GSETTINGS_SCHEMA_DIR= gsettings --schemadir "$1" list-keys "$2" |
    grep -qx undo-send-seconds' sh "$root/share/glib-2.0/schemas" "$app"
check "the Chinese catalogue is installed" test -s "$root/share/locale/zh_CN/LC_MESSAGES/epistle.mo"
exit $failed
