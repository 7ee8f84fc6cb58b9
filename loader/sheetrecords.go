package loader

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/chainmap/chainmap"
)

// Seed spreadsheets: each row of a sheet becomes a record, as a YAML record would. A row whose id a YAML file
// defines (an exported sheet edited in Excel) updates that record instead: each column the sheet has replaces
// the field, the fields it lacks keep the YAML's values.

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
	k, _ := sheetRecordKind(t.kind.Name)
	for _, c := range k.requiredColumns() {
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
	k, _ := sheetRecordKind(t.kind.Name)
	keys := k.sheetColumns()
	at := t.sheetLoc(r, keys)
	if r.ro["synthetic"] == "true" {
		var errs problems
		errs.add(at, "", "a synthetic record (made by `chainmap gen`) is not curated data: leave its row out")
		return errs
	}
	c := &rowCells{r: r, keys: keys, at: at}
	k.readRow(p, at, c)
	return c.errs
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
	for _, k := range recordKinds {
		k.overlay(p, &errs)
	}
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
