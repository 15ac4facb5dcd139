#!/usr/bin/env bash
# System programs the course uses but pip cannot install:
#   dot (Graphviz)  draws a tree in notebook 00 (without it the notebook falls back to plot_tree)
#   chromium        the browser test of the course site (tests/test_site_browser.py)
# Installed with apt only when running as root on a Debian-like system; otherwise one line says how.
set -u
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || echo "warning: apt-get could not install ${missing[*]}"
else
  echo "note: missing system packages: ${missing[*]} (Debian/Ubuntu: sudo apt-get install ${missing[*]}; conda: see environment.yml). Notebook 00 falls back to sklearn.tree.plot_tree without Graphviz; the browser test skips without Chromium (and fails under CI)."
fi
exit 0
