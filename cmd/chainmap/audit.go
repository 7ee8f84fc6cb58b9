package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/chainmap/chainmap/loader"
)

// errAuditFailed is returned when the audit finds errors; the report has already been printed.
var errAuditFailed = fmt.Errorf("audit found errors")

func audit(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("audit", "audit [-json] [-summary] [PATH...]\n\n"+
		"Audits the seed files at each PATH (the embedded seeds/ when none is given): source quality, reported facts\n"+
		"resting only on copies, breaks of the rules in seeds/README.md, likely duplicates. Exits non-zero when\n"+
		"it finds an error; warnings are listed with file and line but do not fail.", stderr)
	var asJSON, summary bool
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	fs.BoolVar(&summary, "summary", false, "print the counts only, not each finding")
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
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printAudit(stdout, rep, summary)
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
