#!/bin/sh
# spellings.sh: in how many hand-written Go files (no tests, no generated code) each kind's stored property
# names are spelled as a Go string literal ("severity"), the way encoders, decoders and property maps spell
# them (issue 19). Cypher text is not counted: a query may name the properties it filters or orders by.
# Per kind: the files that spell any of its own properties (shared ones such as id, name, kind are left out),
# and the most files any one of them is spelled in. Run from the repository root.
set -eu
files=$(git ls-files '*.go' | grep -v '_test\.go$' | grep -v '^graph/generated\.go$' | grep -v '^graph/models_gen\.go$')
kind() {
	k=$1; shift
	all=""; most=0; mostp=""
	for p in "$@"; do
		f=$(grep -l "\"$p\"" $files || true)
		n=$(printf '%s' "$f" | grep -c . || true)
		if [ "$n" -gt "$most" ]; then most=$n; mostp=$p; fi
		all="$all $f"
	done
	union=$(printf '%s\n' $all | sort -u | grep -c . || true)
	printf '%-15s files spelling any: %3d   most for one property: %3d (%s)\n' "$k" "$union" "$most" "$mostp"
}
kind Source        title publisher url date reliability language
kind Region        level province
kind ChainMap      aliases aliasText leadRegion mapPublished
kind Segment       chainMapId stage order
kind Enterprise    chainRole chainRoleIn formerNames website
kind Site          enterpriseId regionCode since capacity
kind Institution   regionCode
kind Park          renamedFrom
kind Bottleneck    category severity status
kind TechTransfer  year contracts valueCny
kind Supply        product
kind Indicator     unit scope
kind IndicatorValue indicatorId period value
kind OfficialList  issuer published statedCount countNote
kind ListItem      label listId refId tier rank
kind Provenance    confidence sourceIds evidence sourcingNote
