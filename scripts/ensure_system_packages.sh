#!/usr/bin/env bash
# System programs the course uses but pip cannot install, by what needs them:
#   graphviz   the `dot` program: draws a tree in notebook 00 (without it the notebook falls back to
#              plot_tree); the learner's environment (`make env`, `make course`) asks for it
#   chromium   the browser tests of the course site (tests/test_site_browser.py); only `make test` asks for it
# Usage: ensure_system_packages.sh [graphviz] [chromium]   (no argument: both)
# Installed with apt only when running as root on a Debian-like system; otherwise one line says how.
set -u
wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(graphviz chromium)
missing=()
for pkg in "${wanted[@]}"; do
  case "$pkg" in
    graphviz) command -v dot >/dev/null 2>&1 || missing+=(graphviz) ;;
    chromium) command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
                || missing+=(chromium) ;;
    *) echo "ensure_system_packages.sh: unknown package '$pkg' (valid: graphviz, chromium)" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || echo "warning: apt-get could not install ${missing[*]}"
else
  echo "note: missing system packages: ${missing[*]} (Debian/Ubuntu: sudo apt-get install ${missing[*]}; conda: see environment.yml). Notebook 00 falls back to sklearn.tree.plot_tree without Graphviz; the browser tests skip without Chromium (and fail under CI)."
fi
exit 0
