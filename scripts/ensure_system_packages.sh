#!/usr/bin/env bash
# System programs the course uses but pip cannot install: Graphviz's `dot` (to draw a tree).
# Installed with apt only when running as root on a Debian-like system; otherwise one line says how.
set -u
if ! command -v dot >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Graphviz (dot) with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null \
      || echo "warning: apt-get could not install graphviz; notebook 00 will fall back to sklearn.tree.plot_tree"
  else
    echo "note: Graphviz's dot is missing (Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz; conda: see environment.yml); notebook 00 falls back to sklearn.tree.plot_tree"
  fi
fi
exit 0
