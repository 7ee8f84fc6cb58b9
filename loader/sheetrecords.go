package loader

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/chainmap/chainmap"
)

// Seed spreadsheets: each row of a sheet becomes a record, as a YAML record would. A row whose id a YAML file
// defines (an exported sheet edited in Excel) updates that record instead: each column the sheet has replaces
// the field, the fields it lacks keep the YAML's values.

// sheetKeys maps, per sheet, the YAML key of each field a sheet sets to its column.
var sheetKeys = map[string]map[string]string{
	chainmap.SheetEnterprises: {"id": "id", "nameZh": "nameZh", "nameEn": "nameEn", "chainRole": "chainRole",
		"segments": "segmentIds", "branchOf": "branchOf", "description": "description", "confidence": "confidence",
		"sources": "sourceIds", "evidence": "evidence"},
	chainmap.SheetSites: {"id": "id", "enterprise": "enterprise", "kind": "kind", "region": "region", "park": "park",
		"name": "name", "nameZh": "nameZh", "nameEn": "nameEn", "since": "since", "capacity": "capacity",
		"confidence": "confidence", "sources": "sourceIds", "evidence": "evidence"},
	chainmap.SheetBottlenecks: {"id": "id", "nameZh": "nameZh", "nameEn": "nameEn", "kind": "kind", "category": "category",
		"severity": "severity", "status": "status", "segments": "segmentIds", "tacklers": "tacklerIds",
		"description": "description", "confidence": "confidence", "sources": "sourceIds", "evidence": "evidence"},
	chainmap.SheetSupplies: {"from": "from", "to": "to", "product": "product", "since": "since", "confidence": "confidence",
		"sources": "sourceIds", "evidence": "evidence"},
	chainmap.SheetListItems: {"list": "list", "rank": "rank", "label": "label", "ref": "ref", "tier": "tier",
		"confidence": "confidence", "sources": "sourceIds", "evidence": "evidence"},
}

// sheetKeyColumns are the columns a row of each sheet cannot do without.
var sheetKeyColumns = map[string][]string{
	chainmap.SheetEnterprises: {"id"}, chainmap.SheetSites: {"id"}, chainmap.SheetBottlenecks: {"id"},
	chainmap.SheetSupplies: {"from", "to"}, chainmap.SheetListItems: {"list", "label"},
}

// parseSheets reads a CSV or XLSX seed file into records.
func (p *parsed) parseSheets(f File) problems {
	tables, errs := readTables(f)
	for _, t := range tables {
		rows, _, rerrs := t.sheetRows()
		errs = append(errs, rerrs...)
		if len(rerrs) > 0 {
			continue
		}
		if _, ids := rowColumn(t, "sourceIds"); !ids {
			if i, titles := rowColumn(t, "sources"); titles {
				ref, _ := excelize.CoordinatesToCellName(i+1, 1)
				errs = append(errs, Problem{File: t.file, Sheet: t.sheet, Line: 1, Cell: ref, Field: "sources",
					Message: "column sources holds the sources' titles and is read-only: put the source ids in a column sourceIds"})
				continue
			}
		}
		if miss := missingColumns(t); len(miss) > 0 {
			errs = append(errs, Problem{File: t.file, Sheet: t.sheet, Line: 1, Field: "header",
				Message: "missing column " + strings.Join(miss, ", ")})
			continue
		}
		for _, r := range rows {
			errs = append(errs, p.sheetRecord(t, r)...)
		}
	}
	return errs
}

func missingColumns(t table) []string {
	var out []string
	for _, c := range sheetKeyColumns[t.kind.Name] {
		found := false
		for _, h := range t.header {
			found = found || strings.TrimSpace(h) == c
		}
		if !found {
			out = append(out, fmt.Sprintf("%q", c))
		}
	}
	return out
}

func (p *parsed) sheetRecord(t table, r sheetRow) problems {
	keys := sheetKeys[t.kind.Name]
	at := t.sheetLoc(r, keys)
	var errs problems
	get := func(key string) string { return r.cells[keys[key]] }
	num := func(key string) int {
		s := get(key)
		if s == "" {
			return 0
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			errs.add(at, key, "want a whole number, got %q", s)
		}
		return v
	}
	if r.ro["synthetic"] == "true" {
		errs.add(at, "", "a synthetic record (made by `chainmap gen`) is not curated data: leave its row out")
		return errs
	}
	prov := provenanceRec{Confidence: get("confidence"), Sources: list(get("sources")), Evidence: get("evidence")}
	switch t.kind.Name {
	case chainmap.SheetEnterprises:
		p.enterprises = append(p.enterprises, item[enterpriseRec]{at: at, v: enterpriseRec{
			ID: get("id"), NameZh: get("nameZh"), NameEn: get("nameEn"), ChainRole: get("chainRole"),
			Segments: list(get("segments")), BranchOf: get("branchOf"), Description: get("description"), provenanceRec: prov}})
	case chainmap.SheetSites:
		p.sites = append(p.sites, item[siteRec]{at: at, v: siteRec{
			ID: get("id"), Enterprise: get("enterprise"), Kind: get("kind"), Region: get("region"), Park: get("park"),
			Name: get("name"), NameZh: get("nameZh"), NameEn: get("nameEn"), Since: num("since"), Capacity: get("capacity"),
			provenanceRec: prov}})
	case chainmap.SheetBottlenecks:
		tacklers, err := chainmap.ParseTacklers(get("tacklers"))
		if err != nil {
			errs.add(at, "tacklers", "%v", err)
		}
		var recs []tacklerRec
		for _, tk := range tacklers {
			recs = append(recs, tacklerRec{ID: tk.ID, Since: tk.Since, Status: string(tk.Status)})
		}
		p.bottlenecks = append(p.bottlenecks, item[bottleneckRec]{at: at, v: bottleneckRec{
			ID: get("id"), NameZh: get("nameZh"), NameEn: get("nameEn"), Kind: get("kind"), Category: get("category"),
			Severity: num("severity"), Status: get("status"), Segments: list(get("segments")), Tacklers: recs,
			Description: get("description"), provenanceRec: prov}})
	case chainmap.SheetSupplies:
		p.supplies = append(p.supplies, item[supplyRec]{at: at, v: supplyRec{
			From: get("from"), To: get("to"), Product: get("product"), Since: num("since"), provenanceRec: prov}})
	case chainmap.SheetListItems:
		p.listItems = append(p.listItems, item[listItemRec]{at: at, v: listItemRec{
			List: get("list"), Rank: num("rank"), Label: get("label"), Ref: get("ref"), Tier: get("tier"), provenanceRec: prov}})
	}
	return errs
}

// list splits a ';'-separated cell.
func list(cell string) []string {
	var out []string
	for _, s := range strings.Split(cell, chainmap.ListSeparator) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// fromSheet tells a record read from a spreadsheet row.
func fromSheet(at loc) bool { return at.cells != nil }

// overlaySheets merges the spreadsheet rows that name a record of the YAML files into it.
func (p *parsed) overlaySheets() problems {
	var errs problems
	p.enterprises = overlay(p.enterprises, func(e enterpriseRec) string { return e.ID }, nil, &errs)
	p.sites = overlay(p.sites, func(s siteRec) string { return s.ID }, func(base, row item[siteRec]) string {
		if _, has := row.at.cells["enterprise"]; has && row.v.Enterprise != base.v.Enterprise {
			return fmt.Sprintf("site %q belongs to enterprise %q (%s:%d); a sheet does not move a site", base.v.ID,
				base.v.Enterprise, base.at.file, base.at.line)
		}
		return ""
	}, &errs)
	p.bottlenecks = overlay(p.bottlenecks, func(b bottleneckRec) string { return b.ID }, nil, &errs)
	return errs
}

// overlay replaces, for each sheet row whose id a YAML record has, the fields of the sheet's columns in the
// YAML record, and drops the row; check may refuse a row. Two rows for one record are a problem.
func overlay[T any](items []item[T], id func(T) string, check func(base, row item[T]) string, errs *problems) []item[T] {
	yaml := map[string]int{}
	for i, it := range items {
		if _, dup := yaml[id(it.v)]; !fromSheet(it.at) && id(it.v) != "" && !dup {
			yaml[id(it.v)] = i
		}
	}
	merged := map[string]loc{}
	drop := map[int]bool{}
	for k, it := range items {
		i, ok := yaml[id(it.v)]
		if !fromSheet(it.at) || !ok {
			continue
		}
		drop[k] = true
		if prev, dup := merged[id(it.v)]; dup {
			errs.add(it.at, "id", "%q is already updated by %s row %d", id(it.v), prev.file, prev.line)
			continue
		}
		if check != nil {
			if msg := check(items[i], it); msg != "" {
				errs.add(it.at, "id", "%s", msg)
				continue
			}
		}
		merged[id(it.v)] = it.at
		dst, src := reflect.ValueOf(&items[i].v).Elem(), reflect.ValueOf(it.v)
		for key := range it.at.cells {
			setByTag(dst, src, key)
		}
		items[i].at = it.at // problems of the merged record point at the row that changed it
	}
	out := items[:0:0]
	for k, it := range items {
		if !drop[k] {
			out = append(out, it)
		}
	}
	return out
}

// setByTag copies the field with the YAML key from src to dst (structs of one type, inline structs included).
func setByTag(dst, src reflect.Value, key string) bool {
	t := dst.Type()
	for i := 0; i < t.NumField(); i++ {
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if opts == "inline" {
			if setByTag(dst.Field(i), src.Field(i), key) {
				return true
			}
			continue
		}
		if name == key {
			dst.Field(i).Set(src.Field(i))
			return true
		}
	}
	return false
}
