#!/usr/bin/env bash
# Writes the long package descriptions of the Debian package lists on this machine as plain text, one document per
# package (the long description's lines joined; the " ." paragraph marks dropped): a real, offline corpus for LDA.
# `apt-cache dumpavail` carries only the short descriptions here (Debian ships the long ones in Translation-en, which
# this image does not fetch: Acquire::Languages "none"), so the script reads Translation-en, fetching it once with
# `apt-get update -o Acquire::Languages=en` when it is missing.
# Usage: bench/apt-descriptions.sh OUT.txt
set -euo pipefail
out=${1:?usage: bench/apt-descriptions.sh OUT.txt}
shopt -s nullglob
files=(/var/lib/apt/lists/*_i18n_Translation-en*)
if (( ${#files[@]} == 0 )); then
  apt-get update -o Acquire::Languages=en >/dev/null
  files=(/var/lib/apt/lists/*_i18n_Translation-en*)
fi
for f in "${files[@]}"; do /usr/lib/apt/apt-helper cat-file "$f"; done | awk '
  /^Package: / { if (doc != "") print doc; doc = ""; inlong = 0; next }
  /^Description-en: / { inlong = 1; next }
  /^ / { if (inlong && $0 != " .") { sub(/^ /, ""); doc = doc (doc == "" ? "" : " ") $0 }; next }
  { inlong = 0 }
  END { if (doc != "") print doc }' > "$out"
echo "$(wc -l < "$out") documents in $out"
