#!/usr/bin/env bash
# Makes sure the system programs the tests and the PDF report need are present:
# Debian's chromium (browser tests, PDF) and poppler-utils (pdftoppm, pdfinfo).
# Installs missing ones with apt-get when running as root.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installiere fehlende Systempakete: ${missing[*]} …" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "Es fehlen Systempakete: ${missing[*]}. Bitte als root installieren: apt-get install -y ${missing[*]}" >&2
exit 1
