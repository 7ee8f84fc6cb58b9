package loader

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// CSV files hold the bulk lists planners keep in spreadsheets. The file name says what a file holds: it starts
// with enterprises, sites or supplies (e.g. enterprises-2024.csv). The first row is a header naming the
// columns; list cells (segments, sources) are separated by ';'. seeds/README.md shows an example of each.

var csvColumns = map[string][]string{
	"enterprises": {"id", "nameZh", "nameEn", "chainRole", "segments", "branchOf", "description", "confidence", "sources", "evidence"},
	"sites":       {"id", "enterprise", "kind", "region", "park", "nameZh", "nameEn", "since", "capacity", "confidence", "sources", "evidence"},
	"supplies":    {"from", "to", "product", "since", "confidence", "sources", "evidence"},
	// The entries of an official list as a planner receives it: one row per entry, ref left empty for entries
	// the graph does not hold (yet).
	"list-items": {"list", "rank", "label", "ref", "tier", "confidence", "sources", "evidence"},
}

var csvRequired = map[string][]string{
	"enterprises": {"id", "confidence", "sources"},
	"sites":       {"id", "enterprise", "kind", "region"},
	"supplies":    {"from", "to", "confidence", "sources"},
	"list-items":  {"list", "label"},
}

func csvKind(name string) string {
	base := path.Base(name)
	for kind := range csvColumns {
		if strings.HasPrefix(base, kind) {
			return kind
		}
	}
	return ""
}

func (p *parsed) parseCSV(f File) problems {
	var errs problems
	kind := csvKind(f.Name)
	if kind == "" {
		return append(errs, Problem{File: f.Name, Message: "unknown CSV file: its name must start with enterprises, sites, supplies or list-items"})
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(f.Data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1 // rows are checked against the header below, with a clearer message
	header, err := r.Read()
	if err != nil {
		return append(errs, Problem{File: f.Name, Line: 1, Message: "cannot read the header row: " + err.Error()})
	}
	cols := map[string]int{}
	known := map[string]bool{}
	for _, c := range csvColumns[kind] {
		known[c] = true
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !known[h] {
			errs = append(errs, Problem{File: f.Name, Line: 1, Field: "header column " + strconv.Itoa(i+1),
				Message: fmt.Sprintf("unknown column %q; want some of %s", h, strings.Join(csvColumns[kind], ", "))})
			continue
		}
		cols[h] = i
	}
	for _, c := range csvRequired[kind] {
		if _, ok := cols[c]; !ok {
			errs = append(errs, Problem{File: f.Name, Line: 1, Field: "header", Message: fmt.Sprintf("missing column %q", c)})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	colNames := map[string]string{}
	for c := range cols {
		colNames[c] = c
	}
	for n := 1; ; n++ {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		at := loc{file: f.Name, path: fmt.Sprintf("row %d", n), line: line, cols: colNames}
		if err != nil {
			errs = append(errs, Problem{File: f.Name, Line: line, Message: err.Error()})
			continue
		}
		if len(row) != len(header) {
			errs.add(at, "", "has %d cells, the header has %d", len(row), len(header))
			continue
		}
		tooLong := false
		for _, c := range csvColumns[kind] {
			if i, ok := cols[c]; ok && len(row[i]) > fieldLimit(c) {
				limit := fieldLimit(c)
				errs.add(at, c, "is %d bytes, more than the %d allowed", len(row[i]), limit)
				tooLong = true
			}
		}
		if tooLong {
			continue
		}
		get := func(c string) string {
			if i, ok := cols[c]; ok {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		num := func(c string) int {
			s := get(c)
			if s == "" {
				return 0
			}
			v, err := strconv.Atoi(s)
			if err != nil {
				errs.add(at, c, "want a whole number, got %q", s)
			}
			return v
		}
		prov := provenanceRec{Confidence: get("confidence"), Sources: list(get("sources")), Evidence: get("evidence")}
		switch kind {
		case "enterprises":
			p.enterprises = append(p.enterprises, item[enterpriseRec]{at: at, v: enterpriseRec{
				ID: get("id"), NameZh: get("nameZh"), NameEn: get("nameEn"), ChainRole: get("chainRole"),
				Segments: list(get("segments")), BranchOf: get("branchOf"), Description: get("description"), provenanceRec: prov}})
		case "sites":
			p.sites = append(p.sites, item[siteRec]{at: at, v: siteRec{
				ID: get("id"), Enterprise: get("enterprise"), Kind: get("kind"), Region: get("region"), Park: get("park"),
				NameZh: get("nameZh"), NameEn: get("nameEn"), Since: num("since"), Capacity: get("capacity"), provenanceRec: prov}})
		case "supplies":
			p.supplies = append(p.supplies, item[supplyRec]{at: at, v: supplyRec{
				From: get("from"), To: get("to"), Product: get("product"), Since: num("since"), provenanceRec: prov}})
		case "list-items":
			p.listItems = append(p.listItems, item[listItemRec]{at: at, v: listItemRec{
				List: get("list"), Rank: num("rank"), Label: get("label"), Ref: get("ref"), Tier: get("tier"), provenanceRec: prov}})
		}
	}
	return errs
}

// list splits a ';'-separated cell.
func list(cell string) []string {
	var out []string
	for _, s := range strings.Split(cell, ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
