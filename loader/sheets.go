package loader

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/chainmap/chainmap"
)

// Spreadsheets (CSV and XLSX) hold the bulk lists planners keep in Excel, and the exports they edit there. Their
// columns are chainmap.Sheets': a CSV file is one sheet, named by the start of its file name (enterprises.csv,
// sites-2024.csv); an XLSX workbook holds one sheet of each kind it has, named after it (the exports' workbooks
// do). The first row is the header. Read-only columns are ignored, list cells are separated by ';'.

// Bounds of an XLSX file once unzipped: a small zip may inflate to gigabytes.
const (
	maxUnzippedBytes = 64 << 20
	maxSheetXMLBytes = 32 << 20
)

// table is one sheet of a spreadsheet file.
type table struct {
	file, sheet string // sheet: the XLSX sheet's name; "" for CSV
	kind        chainmap.Sheet
	header      []string
	rows        [][]string // the data rows, without the header
	nums        []int      // each data row's number in the sheet (the header is row 1)
	formulas    map[string]bool
}

// isXLSX tells a workbook (a zip archive) from text.
func isXLSX(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// readTables reads the sheets of a CSV or XLSX file. A file that is neither, a sheet it cannot name, or a header
// with unknown columns is a problem; an empty sheet is skipped.
func readTables(f File) ([]table, problems) {
	if isXLSX(f.Data) {
		return readXLSX(f)
	}
	if path.Ext(strings.ToLower(f.Name)) == ".xlsx" {
		return nil, problems{{File: f.Name, Message: "not an XLSX workbook (the file is not a zip archive)"}}
	}
	t, errs := readCSV(f)
	if t == nil {
		return nil, errs
	}
	return []table{*t}, errs
}

func sheetKind(name string) (chainmap.Sheet, bool) {
	base := strings.ToLower(path.Base(name))
	for _, s := range chainmap.Sheets {
		if strings.HasPrefix(base, s.Name) {
			return s, true
		}
	}
	return chainmap.Sheet{}, false
}

func sheetNames() string {
	var out []string
	for _, s := range chainmap.Sheets {
		out = append(out, s.Name)
	}
	return strings.Join(out, ", ")
}

func readCSV(f File) (*table, problems) {
	kind, ok := sheetKind(f.Name)
	if !ok {
		return nil, problems{{File: f.Name, Message: "unknown CSV file: its name must start with " + sheetNames()}}
	}
	data := bytes.TrimPrefix(f.Data, []byte("\ufeff"))
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, problems{{File: f.Name, Message: "not a CSV text file in UTF-8 (in Excel, save as \"CSV UTF-8 (Comma delimited)\")"}}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // rows are checked against the header, with a clearer message
	t := &table{file: f.Name, kind: kind}
	for n := 1; ; n++ {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := n
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				line = perr.Line
				err = perr.Err
			}
			return nil, problems{{File: f.Name, Line: line, Message: "not a readable CSV file: " + err.Error()}}
		}
		if n == 1 {
			t.header = row
			continue
		}
		t.rows = append(t.rows, row)
		t.nums = append(t.nums, n)
	}
	if t.header == nil {
		return nil, nil // an empty file holds no records
	}
	return t, nil
}

func readXLSX(f File) ([]table, problems) {
	wb, err := excelize.OpenReader(bytes.NewReader(f.Data), excelize.Options{UnzipSizeLimit: maxUnzippedBytes,
		UnzipXMLSizeLimit: maxSheetXMLBytes})
	if err != nil {
		msg := "not an XLSX workbook: " + err.Error()
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || strings.Contains(err.Error(), "zip") {
			msg = "not an XLSX workbook (an Excel 2007+ .xlsx file): " + err.Error()
		}
		if strings.Contains(err.Error(), "size limit") || strings.Contains(err.Error(), "exceeds") {
			msg = fmt.Sprintf("the workbook unzips to more than %d MB", maxUnzippedBytes>>20)
		}
		return nil, problems{{File: f.Name, Message: msg}}
	}
	defer wb.Close()
	var out []table
	var errs problems
	for _, name := range wb.GetSheetList() {
		rows, err := wb.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			errs = append(errs, Problem{File: f.Name, Sheet: name, Message: "cannot read the sheet: " + err.Error()})
			continue
		}
		if empty(rows) {
			continue
		}
		kind, ok := chainmap.SheetByName(strings.ToLower(strings.TrimSpace(name)))
		if !ok {
			errs = append(errs, Problem{File: f.Name, Sheet: name, Line: 1,
				Message: "unknown sheet: name it after what it holds, one of " + sheetNames()})
			continue
		}
		t := table{file: f.Name, sheet: name, kind: kind, header: rows[0], formulas: map[string]bool{}}
		for i, row := range rows[1:] {
			t.rows = append(t.rows, row)
			t.nums = append(t.nums, i+2)
		}
		// A formula is not data: a spreadsheet computes it, and it may do what a reader never meant to run.
		width := 0
		for _, row := range rows {
			width = max(width, len(row))
		}
		for r := range rows {
			for c := 0; c < width; c++ {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fx, err := wb.GetCellFormula(name, cell); err == nil && fx != "" {
					t.formulas[cell] = true
				}
			}
		}
		out = append(out, t)
	}
	return out, errs
}

func empty(rows [][]string) bool {
	for _, r := range rows {
		for _, c := range r {
			if strings.TrimSpace(c) != "" {
				return false
			}
		}
	}
	return true
}

// sheetRow is one data row of a table: its editable cells by column name, and where it is.
type sheetRow struct {
	num   int
	cells map[string]string // column → value, trimmed; only the columns the header has
	refs  map[string]string // column → cell reference
	ro    map[string]string // the read-only columns' values, which imports ignore (but for synthetic)
}

// header checks the header of a table: every column must be one of its sheet's, once. readOnly lists the
// read-only columns it has, which rows leave out.
func (t table) columns() (cols, roCols map[string]int, readOnly []string, errs problems) {
	cols, roCols = map[string]int{}, map[string]int{}
	seen := map[string]bool{}
	for i, h := range t.header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		bad := func(format string, args ...any) {
			errs = append(errs, Problem{File: t.file, Sheet: t.sheet, Line: 1, Cell: ref, Field: h, Message: fmt.Sprintf(format, args...)})
		}
		c, ok := t.kind.Column(h)
		switch {
		case h == "" && t.columnEmpty(i):
			continue // a blank column Excel kept
		case !ok:
			bad("unknown column %q; the %s columns are %s", h, t.kind.Name, strings.Join(columnNames(t.kind), ", "))
		case seen[h]:
			bad("column %q appears twice", h)
		case c.ReadOnly:
			readOnly = append(readOnly, h)
			roCols[h] = i
		default:
			cols[h] = i
		}
		seen[h] = true
	}
	return cols, roCols, readOnly, errs
}

func (t table) columnEmpty(i int) bool {
	for _, r := range t.rows {
		if i < len(r) && strings.TrimSpace(r[i]) != "" {
			return false
		}
	}
	return true
}

func columnNames(s chainmap.Sheet) []string {
	out := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = c.Name
	}
	return out
}

// sheetRows reads the data rows of a table: cells of unknown length, formulas and text a spreadsheet would run
// as a formula are problems; blank rows are skipped.
func (t table) sheetRows() ([]sheetRow, []string, problems) {
	cols, roCols, readOnly, errs := t.columns()
	if len(errs) > 0 {
		return nil, readOnly, errs
	}
	var out []sheetRow
	for i, row := range t.rows {
		num := t.nums[i]
		if empty([][]string{row}) {
			continue
		}
		if t.sheet == "" && len(row) != len(t.header) {
			errs = append(errs, Problem{File: t.file, Line: num, Message: fmt.Sprintf("has %d cells, the header has %d", len(row), len(t.header))})
			continue
		}
		sr := sheetRow{num: num, cells: map[string]string{}, refs: map[string]string{}, ro: map[string]string{}}
		for name, c := range roCols {
			if c < len(row) {
				sr.ro[name] = strings.TrimSpace(row[c])
			}
		}
		ok := true
		for name, c := range cols {
			ref, _ := excelize.CoordinatesToCellName(c+1, num)
			sr.refs[name] = ref
			v := ""
			if c < len(row) {
				v = row[c]
			}
			bad := func(format string, args ...any) {
				errs = append(errs, Problem{File: t.file, Sheet: t.sheet, Line: num, Cell: ref, Field: name, Message: fmt.Sprintf(format, args...)})
				ok = false
			}
			switch {
			case t.formulas[ref]:
				bad("holds a formula; put the value itself in the cell")
				continue
			case len(v) > 4*chainmap.MaxTextLength:
				// Longer than any field's limit in any script: not read further.
				bad("is %d bytes, more than any field allows (%d characters)", len(v), chainmap.MaxTextLength)
				continue
			}
			v, defused := undefuse(v)
			if !defused && t.sheet == "" && looksLikeFormula(v) {
				bad("starts with %q, which a spreadsheet runs as a formula; if it is text, start the cell with an apostrophe (')", v[:1])
				continue
			}
			v = strings.TrimSpace(v)
			if err := chainmap.CheckText(name, v); err != nil {
				bad("%s", err.(*chainmap.Error).Message)
				continue
			}
			sr.cells[name] = v
		}
		if ok {
			out = append(out, sr)
		}
	}
	return out, readOnly, errs
}

// looksLikeFormula tells text that a spreadsheet reading a CSV file would take for a formula: = + - @ or a tab
// or carriage return first (the characters export.defuse guards).
func looksLikeFormula(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// undefuse takes off the apostrophe the exports put before text that looks like a formula.
func undefuse(s string) (string, bool) {
	if len(s) > 1 && s[0] == '\'' && looksLikeFormula(s[1:]) {
		return s[1:], true
	}
	return s, false
}

// sheetLoc is where a row's record came from; its fields map YAML keys to the sheet's columns.
func (t table) sheetLoc(r sheetRow, keyOf map[string]string) loc {
	at := loc{file: t.file, sheet: t.sheet, line: r.num, cols: map[string]string{}, cells: map[string]string{}}
	for key, col := range keyOf {
		at.cols[key] = col
		if _, ok := r.cells[col]; ok {
			at.cells[key] = r.refs[col] // the row has the column: cells tells which fields a row sets
		}
	}
	return at
}
