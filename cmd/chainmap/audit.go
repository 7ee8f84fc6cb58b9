package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/loader"
)

// errAuditFailed is returned when the audit finds errors; the report has already been printed.
var errAuditFailed = fmt.Errorf("audit found errors")

func audit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("audit", "audit [-json] [-summary] [-graph [flags]] [PATH...]\n\n"+
		"Audits the seed files at each PATH (the embedded seeds/ when none is given): source quality, reported facts\n"+
		"resting only on copies, breaks of the rules in seeds/README.md, likely duplicates. Exits non-zero when\n"+
		"it finds an error; warnings are listed with file and line but do not fail.\n"+
		"-graph also reads the graph in Neo4j for what readers have flagged as wrong: the flags by status, the open\n"+
		"ones by kind of record and by chain map, and each open flag (the flags do not fail the audit).", stderr)
	var (
		asJSON, summary, graph bool
		db                     neo4jFlags
	)
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	fs.BoolVar(&summary, "summary", false, "print the counts only, not each finding")
	fs.BoolVar(&graph, "graph", false, "also count readers' flags in the graph (connects to Neo4j)")
	db.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	files, err := readSeeds(fs.Args())
	if err != nil {
		return err
	}
	rep, err := loader.Audit(files, time.Now())
	if err != nil {
		return err
	}
	var flags *flagAudit
	if graph {
		if flags, err = auditFlags(ctx, db); err != nil {
			return err
		}
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			*loader.Report
			Flags *flagAudit `json:"flags,omitempty"`
		}{rep, flags}); err != nil {
			return err
		}
	} else {
		printAudit(stdout, rep, summary)
		if flags != nil {
			printFlags(stdout, flags, summary)
		}
	}
	if rep.Errors() > 0 {
		return errAuditFailed
	}
	return nil
}

func printAudit(w io.Writer, rep *loader.Report, summary bool) {
	s := rep.Sources
	counts := func(cs []loader.Count, max int) string {
		var parts []string
		for i, c := range cs {
			if max > 0 && i == max {
				parts = append(parts, fmt.Sprintf("… %d more", len(cs)-max))
				break
			}
			parts = append(parts, fmt.Sprintf("%s %d", c.Key, c.Count))
		}
		return strings.Join(parts, ", ")
	}
	fmt.Fprintf(w, "Sources: %d\n", s.Total)
	fmt.Fprintf(w, "  by reliability: %s\n", counts(s.ByReliability, 0))
	fmt.Fprintf(w, "  mirrors + aggregators: %.0f%% (target ≤ %.0f%%)\n", 100*s.CopyShare, 100*loader.MaxCopyShare)
	fmt.Fprintf(w, "  by year: %s\n", counts(s.ByYear, 0))
	fmt.Fprintf(w, "  by language: %s\n", counts(s.ByLanguage, 0))
	fmt.Fprintf(w, "  hosts with 2+ sources: %s\n", counts(s.ByHost, 15))
	fmt.Fprintf(w, "  by host (the audit's rules, not the tags): %s\n", counts(s.ByHostClass, 0))
	fmt.Fprintf(w, "REPORTED records with their own sources: %d, of which %d cite a source on a first-party host\n",
		s.ReportedRecords, s.FirstParty)
	fmt.Fprintf(w, "Records whose newest source is over %d years old: %d\n", loader.StaleAfterYears, s.Stale)
	fmt.Fprintf(w, "Chain maps (REPORTED): %-14s %8s %9s %13s %11s  %s\n", "", "segments", "firms", "segments≥3", "bottlenecks", "firms by province")
	for _, c := range rep.Coverage {
		fmt.Fprintf(w, "  %-34s %3d/%-4d %4d/%-4d %6d/%-6d %5d/%-5d  %s\n", c.ChainMap, c.ReportedSegments, c.Segments,
			c.ReportedFirms, c.Firms, c.SegmentsWith3, c.Segments, c.ReportedBottlenecks, c.Bottlenecks, counts(c.ByProvince, 0))
	}
	fmt.Fprintf(w, "Findings: %d errors, %d warnings\n", rep.Errors(), rep.Warnings())
	for _, c := range rep.Classes() {
		fmt.Fprintf(w, "  %-40s %d\n", c.Key, c.Count)
	}
	if summary {
		return
	}
	for _, f := range rep.Findings {
		fmt.Fprintln(w, f.String())
	}
}

// flagAudit is what readers have flagged, as the graph holds it (the -graph section of the audit).
type flagAudit struct {
	Open           int           `json:"open"`
	Resolved       int           `json:"resolved"`
	Rejected       int           `json:"rejected"`
	OldestOpenAt   string        `json:"oldestOpenAt,omitempty"`
	OpenByKind     []flagGroup   `json:"openByKind"`
	OpenByChainMap []flagGroup   `json:"openByChainMap"`
	Listed         []auditedFlag `json:"listed"` // the open flags, newest first, up to maxAuditedFlags
}

type flagGroup struct {
	Key   string `json:"key"`
	Name  string `json:"name,omitempty"`
	Count int    `json:"count"`
}

type auditedFlag struct {
	ID         string `json:"id"`
	RecordID   string `json:"recordId"`
	RecordKind string `json:"recordKind"`
	Field      string `json:"field,omitempty"`
	Note       string `json:"note"`
	SourceURL  string `json:"sourceUrl,omitempty"`
	By         string `json:"by"`
	At         string `json:"at"`
}

const maxAuditedFlags = 100

// auditFlags reads the flag counts and the newest open flags from the graph: two statements.
func auditFlags(ctx context.Context, nf neo4jFlags) (*flagAudit, error) {
	db, err := nf.open(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer db.Close(context.Background())
	st, err := db.FlagStats(ctx, "")
	if err != nil {
		return nil, err
	}
	open := chainmap.FlagOpen
	sel := &chainmap.Selection{Kind: chainmap.KindFlag}
	for _, f := range []string{"id", "recordId", "recordKind", "field", "note", "sourceUrl", "by", "at"} {
		sel.Fields = append(sel.Fields, chainmap.SelectedField{Key: f, Name: f})
	}
	page, err := db.Flags(ctx, chainmap.FlagQuery{Filter: chainmap.FlagFilter{Status: &open}, Page: chainmap.Page{First: maxAuditedFlags}},
		chainmap.ListRequest{Node: sel})
	if err != nil {
		return nil, err
	}
	groups := func(gs []chainmap.Group) []flagGroup {
		out := []flagGroup{}
		for _, g := range gs {
			out = append(out, flagGroup{Key: g.Key, Name: g.Name, Count: g.Count})
		}
		return out
	}
	out := &flagAudit{Open: st.Open, Resolved: st.Resolved, Rejected: st.Rejected, OldestOpenAt: st.OldestOpenAt,
		OpenByKind: groups(st.OpenByKind), OpenByChainMap: groups(st.OpenByChainMap), Listed: []auditedFlag{}}
	for _, it := range page.Items {
		f := it.Item.(*chainmap.Flag)
		out.Listed = append(out.Listed, auditedFlag{ID: f.ID, RecordID: f.RecordID, RecordKind: string(f.RecordKind),
			Field: f.Field, Note: f.Note, SourceURL: f.SourceURL, By: f.By, At: f.At})
	}
	return out, nil
}

func printFlags(w io.Writer, f *flagAudit, summary bool) {
	groups := func(gs []flagGroup) string {
		var parts []string
		for _, g := range gs {
			parts = append(parts, fmt.Sprintf("%s %d", g.Key, g.Count))
		}
		if len(parts) == 0 {
			return "none"
		}
		return strings.Join(parts, ", ")
	}
	fmt.Fprintf(w, "Readers' flags (from the graph): %d open, %d resolved by an edit, %d rejected\n", f.Open, f.Resolved, f.Rejected)
	if f.Open == 0 {
		return
	}
	if at, err := time.Parse(time.RFC3339Nano, f.OldestOpenAt); err == nil {
		fmt.Fprintf(w, "  oldest open: raised %s (%d days ago)\n", at.UTC().Format("2006-01-02"), int(time.Since(at).Hours()/24))
	}
	fmt.Fprintf(w, "  open by kind of record: %s\n", groups(f.OpenByKind))
	fmt.Fprintf(w, "  open by chain map: %s\n", groups(f.OpenByChainMap))
	if summary {
		return
	}
	for _, fl := range f.Listed {
		target := fl.RecordID
		if fl.Field != "" {
			target += "." + fl.Field
		}
		note := []rune(strings.Join(strings.Fields(fl.Note), " "))
		if len(note) > 100 {
			note = append(note[:99], '…')
		}
		fmt.Fprintf(w, "flag %s: %s %s, by %s at %s: %s", fl.ID, fl.RecordKind, target, fl.By, fl.At, string(note))
		if fl.SourceURL != "" {
			fmt.Fprintf(w, " [%s]", fl.SourceURL)
		}
		fmt.Fprintln(w)
	}
	if f.Open > len(f.Listed) {
		fmt.Fprintf(w, "… and %d more open flags (the flags query lists them all)\n", f.Open-len(f.Listed))
	}
}
