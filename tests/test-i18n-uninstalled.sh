#!/bin/sh
# test-i18n-uninstalled.sh — `LANG=zh_CN.UTF-8 build/src/epistle` speaks Chinese before any install
#
# Copyright 2026 The Epistle authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   test-i18n-uninstalled.sh EPISTLE
#
# Run from the build tree, the program reads the catalogue meson compiled in
# build/po (ep-locale.c), not the install prefix's. Needs the zh_CN.UTF-8
# locale itself, which build-aux/install-deps generates.
echo "1..2"
run () {
  env -u LC_ALL -u LC_MESSAGES -u LANGUAGE -u EPISTLE_LOCALEDIR LANG=zh_CN.UTF-8 "$@" 2>&1
}
if ! locale -a | grep -qix 'zh_CN.utf-\?8'; then
  echo "Bail out! the zh_CN.UTF-8 locale is missing: run build-aux/install-deps as root"
  exit 1
fi
out=$(run "$1" sned)
if echo "$out" | grep -q "未知动作“sned”"; then echo "ok 1 - an error in Chinese"; else
  echo "not ok 1 - an error in Chinese"; echo "$out" | sed 's/^/# /'; fi
out=$(run "$1" --help)
if echo "$out" | grep -q "不带动作时打开写邮件窗口"; then echo "ok 2 - --help in Chinese"; else
  echo "not ok 2 - --help in Chinese"; echo "$out" | sed 's/^/# /'; fi
