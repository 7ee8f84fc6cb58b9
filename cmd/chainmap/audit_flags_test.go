package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// `chainmap audit -graph` counts what readers flagged, from the graph: the flags by status, the open ones by
// kind and chain map, and each open flag; in text and in JSON. Flags do not fail the audit.
func TestAuditGraphCountsFlags(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.Query(t, `CREATE (:ChainMap:Record {id: 'af-chain', name: 'Audit chain'})-[:HAS_SEGMENT]->
		(:Segment:Record {id: 'af-seg', name: 'Audit segment', chainMapId: 'af-chain'})<-[:ACTIVE_IN]-(:Enterprise:Record {id: 'af-firm', name: 'Audit firm'})
		CREATE (:Source:Record {id: 'af-src', title: 'A source'})`, nil)
	ctx := context.Background()
	raise := func(id, field, note string) chainmap.Flag {
		f, err := db.FlagRecord(ctx, chainmap.NewFlag{RecordID: id, Field: field, Note: note, By: "anonymous", Client: "addr:10.1.1.1"})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	raise("af-firm", "name", "The firm is called Audit Firm Ltd.")
	raise("af-src", "", "Dead link")
	rejected := raise("af-seg", "", "Not a real segment")
	if _, err := db.ResolveFlag(ctx, chainmap.FlagResolutionInput{ID: rejected.ID, Resolution: chainmap.ResolveRejected,
		Note: "It is", By: "ed"}); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	// The seed files' own findings decide the exit status (errAuditFailed), never the flags.
	if err := run(ctx, append([]string{"audit", "-graph"}, neo4jArgs()...), &stdout, &stderr); err != nil && !errors.Is(err, errAuditFailed) {
		t.Fatalf("audit -graph: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"Readers' flags (from the graph): 2 open, 0 resolved by an edit, 1 rejected",
		"open by kind of record: Enterprise 1, Source 1",
		"open by chain map: af-chain 1",
		"Enterprise af-firm.name, by anonymous at ",
		": The firm is called Audit Firm Ltd.",
		"Source af-src, by anonymous",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("audit -graph output lacks %q:\n%s", want, out[strings.Index(out, "Findings"):])
		}
	}
	if strings.Contains(out, "Not a real segment") {
		t.Error("a rejected flag is listed as open")
	}

	stdout.Reset()
	if err := run(ctx, append([]string{"audit", "-graph", "-json"}, neo4jArgs()...), &stdout, &stderr); err != nil && !errors.Is(err, errAuditFailed) {
		t.Fatalf("audit -graph -json: %v", err)
	}
	var rep struct {
		Sources struct{ Total int }
		Flags   struct {
			Open, Rejected int
			Listed         []struct{ RecordID, Note string }
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Sources.Total == 0 || rep.Flags.Open != 2 || rep.Flags.Rejected != 1 || len(rep.Flags.Listed) != 2 ||
		rep.Flags.Listed[0].RecordID != "af-src" {
		t.Errorf("JSON report: %+v", rep)
	}
}
