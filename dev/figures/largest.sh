#!/bin/sh
# largest.sh: the largest hand-written Go files (no generated code), by lines; tests separately. Issue 19.
set -eu
echo "non-test:"; git ls-files '*.go' | grep -v '_test\.go$' | grep -v -e '^graph/generated\.go$' -e '^graph/models_gen\.go$' | xargs wc -l | grep -v ' total$' | sort -rn | head -${1:-10}
echo "tests:"; git ls-files '*_test.go' | xargs wc -l | grep -v ' total$' | sort -rn | head -${2:-5}
