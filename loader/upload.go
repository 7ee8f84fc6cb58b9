package loader

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/chainmap/chainmap"
)

// An editor's upload: a spreadsheet the exports wrote (or one like it), read into rows of edits. The rows are
// checked here for shape — columns, ids, enumerations, numbers, region codes, lengths, formulas; whether the
// ids they refer to exist is for the store to say, against the graph, in the transaction that writes them.

// cellKind is how an upload reads a cell; recordKinds gives, per sheet an upload may hold, the kind of each
// editable column.
type cellKind int

const (
	cellText cellKind = iota // any text: names and others, checked by chainmap.CheckText as every cell is
	cellID
	cellIDs
	cellRegion
	cellYear
	cellSeverity
	cellTacklers
	cellChainRole
	cellConfidence
	cellSiteKind
	cellBottleneckKind
	cellCategory
	cellStatus
)

// importColumns are the editable columns an upload of a sheet may set, and how a cell is read; nil for a sheet
// an upload does not hold.
func importColumns(sheet string) map[string]cellKind {
	if k, ok := sheetRecordKind(sheet); ok {
		return k.uploadColumns()
	}
	return nil
}

// ReadUpload reads an uploaded spreadsheet (CSV or XLSX; a CSV file's name says which sheet it is) into rows of
// edits. Every problem is listed in a *chainmap.SheetError, with its sheet, row, column and cell.
func ReadUpload(name string, data []byte) (chainmap.SheetImport, error) {
	imp := chainmap.SheetImport{File: name}
	var out []chainmap.SheetProblem
	fail := func(ps problems) {
		for _, p := range ps {
			sheet := p.Sheet
			if sheet == "" {
				if k, ok := sheetKind(name); ok && !isXLSX(data) {
					sheet = k.Name
				}
			}
			out = append(out, chainmap.SheetProblem{Sheet: sheet, Row: p.Line, Column: p.Field, Cell: p.Cell, Message: p.Message})
		}
	}
	if len(data) > MaxFileBytes {
		return imp, &chainmap.SheetError{Code: chainmap.CodeBadUserInput, Problems: []chainmap.SheetProblem{{
			Message: fmt.Sprintf("the file is %d bytes, more than the %d allowed (split it)", len(data), MaxFileBytes)}}}
	}
	tables, errs := readTables(File{Name: name, Data: data})
	fail(errs)
	ignored := map[string]bool{}
	seen := map[string]int{} // sheet/id → row
	for _, t := range tables {
		cols := importColumns(t.kind.Name)
		if cols == nil {
			fail(problems{{File: name, Sheet: t.sheet, Line: 1, Message: fmt.Sprintf("the %s sheet is loaded by `chainmap load`, "+
				"not uploaded: an upload holds %s", t.kind.Name, strings.Join(chainmap.ImportSheets, ", "))}})
			continue
		}
		rows, readOnly, rerrs := t.sheetRows()
		fail(rerrs)
		for _, c := range readOnly {
			ignored[c] = true
		}
		for _, h := range t.header {
			h = strings.TrimSpace(h)
			if c, known := t.kind.Column(h); known && !c.ReadOnly && !c.Exported {
				fail(problems{{File: name, Sheet: t.sheet, Line: 1, Field: h, Message: fmt.Sprintf("column %s is read from "+
					"seed files by `chainmap load` only; remove it from the upload", h)}})
			}
		}
		if _, has := rowColumn(t, "id"); !has && len(rerrs) == 0 {
			fail(problems{{File: name, Sheet: t.sheet, Line: 1, Field: "header", Message: `missing column "id"`}})
			continue
		}
		for _, r := range rows {
			row, perrs := uploadRow(t, r, cols)
			if len(perrs) > 0 {
				fail(perrs)
				continue
			}
			if row.ID == "" {
				continue // a row without id was reported by uploadRow
			}
			key := row.Sheet + "/" + row.ID
			if prev, dup := seen[key]; dup {
				fail(problems{{File: name, Sheet: t.sheet, Line: r.num, Field: "id", Cell: r.refs["id"],
					Message: fmt.Sprintf("%q is already in row %d", row.ID, prev)}})
				continue
			}
			seen[key] = r.num
			imp.Rows = append(imp.Rows, row)
		}
	}
	if len(imp.Rows) > chainmap.MaxImportRows {
		out = append(out, chainmap.SheetProblem{Message: fmt.Sprintf("%d rows, more than the %d an upload may hold (split it)",
			len(imp.Rows), chainmap.MaxImportRows)})
	}
	if len(out) == 0 && len(imp.Rows) == 0 && len(tables) == 0 {
		out = append(out, chainmap.SheetProblem{Message: "the file holds no sheet with rows"})
	}
	for c := range ignored {
		imp.Ignored = append(imp.Ignored, c)
	}
	sort.Strings(imp.Ignored)
	if len(out) > 0 {
		return imp, &chainmap.SheetError{Code: chainmap.CodeBadUserInput, Problems: out}
	}
	return imp, nil
}

func rowColumn(t table, name string) (int, bool) {
	for i, h := range t.header {
		if strings.TrimSpace(h) == name {
			return i, true
		}
	}
	return 0, false
}

// uploadRow reads the editable cells of a row into values.
func uploadRow(t table, r sheetRow, cols map[string]cellKind) (chainmap.ImportRow, problems) {
	row := chainmap.ImportRow{Sheet: t.kind.Name, Row: r.num, ID: r.cells["id"], Values: map[string]any{}, Cells: r.refs}
	var errs problems
	bad := func(col, format string, args ...any) {
		errs = append(errs, Problem{File: t.file, Sheet: t.sheet, Line: r.num, Field: col, Cell: r.refs[col], Message: fmt.Sprintf(format, args...)})
	}
	if r.ro["synthetic"] == "true" {
		bad("", "a synthetic record (made by `chainmap gen`) cannot be edited by an upload: leave its row out")
		return row, errs
	}
	if row.ID == "" {
		bad("id", "is required: the id names the record the row changes or adds")
		return row, errs
	}
	for col, v := range r.cells {
		kind, ok := cols[col]
		if !ok {
			continue // a seed-only column, reported by ReadUpload
		}
		if col == "id" {
			if err := chainmap.CheckID(col, v); err != nil {
				bad(col, "%s", err.(*chainmap.Error).Message)
			}
			continue
		}
		if v == "" {
			row.Values[col] = nil
			continue
		}
		val, err := readCell(kind, v)
		if err != nil {
			bad(col, "%v", err)
			continue
		}
		row.Values[col] = val
	}
	return row, errs
}

func readCell(kind cellKind, v string) (any, error) {
	enum := func(values []string) (any, error) {
		for _, x := range values {
			if v == x {
				return v, nil
			}
		}
		return nil, fmt.Errorf("%q is not one of %s", v, strings.Join(values, ", "))
	}
	switch kind {
	case cellText:
		return v, nil // checked as every cell is, by chainmap.CheckText (sheetRows)
	case cellID:
		if !chainmap.ValidID(v) {
			return nil, fmt.Errorf("%q is not a valid id (lower-case letters, digits and '-')", v)
		}
		return v, nil
	case cellIDs:
		ids := list(v)
		for _, id := range ids {
			if !chainmap.ValidID(id) {
				return nil, fmt.Errorf("%q is not a valid id (lower-case letters, digits and '-'; separate ids with ';')", id)
			}
		}
		if len(ids) == 0 {
			return nil, nil
		}
		return ids, nil
	case cellRegion:
		if !chainmap.ValidRegionCode(v) {
			return nil, fmt.Errorf("%q is not a six-digit GB/T 2260 region code", v)
		}
		return v, nil
	case cellYear:
		y, err := strconv.Atoi(v)
		if err != nil || !chainmap.ValidYear(y) {
			return nil, fmt.Errorf("%q is not a year (%d to %d)", v, chainmap.MinYear, chainmap.MaxYear)
		}
		return y, nil
	case cellSeverity:
		s, err := strconv.Atoi(v)
		if err != nil || chainmap.CheckSeverity("severity", s) != nil {
			return nil, fmt.Errorf("%q: want a whole number from 1 to 5", v)
		}
		return s, nil
	case cellTacklers:
		ts, err := chainmap.ParseTacklers(v)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if !chainmap.ValidID(t.ID) {
				return nil, fmt.Errorf("%q is not a valid id", t.ID)
			}
			if t.Since != 0 && !chainmap.ValidYear(t.Since) {
				return nil, fmt.Errorf("%d is not a year (%d to %d)", t.Since, chainmap.MinYear, chainmap.MaxYear)
			}
		}
		if len(ts) == 0 {
			return nil, nil
		}
		return ts, nil
	case cellChainRole:
		return enum(strs(chainmap.ChainRoles))
	case cellConfidence:
		return enum(strs(chainmap.Confidences))
	case cellSiteKind:
		return enum(strs(chainmap.SiteKinds))
	case cellBottleneckKind:
		return enum(strs(chainmap.BottleneckKinds))
	case cellCategory:
		return enum(strs(chainmap.BottleneckCategories))
	case cellStatus:
		return enum(strs(chainmap.BottleneckStatuses))
	}
	return v, nil
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
