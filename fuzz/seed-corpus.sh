#!/usr/bin/env bash
# Seeds fuzz/corpus/ from the repository's own examples (not kept in git): the
# scenarios and tests/broken/ for the front end and the formatter, the example action
# logs for the log target, and each of their lines for the exercise input target.
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/check corpus/format corpus/actions corpus/exercise_line
for f in "$root"/scenarios/*.drill "$root"/scenarios/shared/*.drill "$root"/tests/broken/*.drill; do
  name=$(echo "${f#"$root"/}" | tr '/' '_')
  cp "$f" "corpus/check/$name"
  cp "$f" "corpus/format/$name"
done
for f in "$root"/scenarios/*.actions.drill; do
  cp "$f" "corpus/actions/$(basename "$f")"
  n=0
  while IFS= read -r line; do
    n=$((n + 1))
    printf '%s' "$line" > "corpus/exercise_line/$(basename "$f" .drill)-$n"
  done < "$f"
done
echo "corpus: $(ls corpus/check | wc -l) scenarios, $(ls corpus/actions | wc -l) logs, $(ls corpus/exercise_line | wc -l) lines"
