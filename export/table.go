package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/chainmap/chainmap"
)

// Table is a chainmap.TableWriter to a file format; Close finishes the file (and must be called once the
// last row is written).
type Table interface {
	Header(columns []string) error
	Row(cells []any) error
	Close() error
}

// Formats of tables, by file extension.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// ContentType returns the media type of a format.
func ContentType(format string) string {
	switch format {
	case CSV:
		return "text/csv; charset=utf-8"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case GraphMLFormat:
		return "application/graphml+xml; charset=utf-8"
	case GEXFFormat:
		return "application/gexf+xml; charset=utf-8"
	}
	return "application/octet-stream"
}

// NewTable returns a table of the format (CSV or XLSX) written to w; sheet names the XLSX sheet.
func NewTable(format string, w io.Writer, sheet string) (Table, error) {
	switch format {
	case CSV:
		return newCSV(w), nil
	case XLSX:
		return newXLSX(w, sheet)
	}
	return nil, fmt.Errorf("unknown table format %q: want csv or xlsx", format)
}

// csvTable writes UTF-8 with a byte-order mark, which Excel needs to read Chinese text as UTF-8.
type csvTable struct {
	buf *bufio.Writer
	w   *csv.Writer
	bom bool
}

func newCSV(w io.Writer) *csvTable {
	buf := bufio.NewWriterSize(w, 32<<10)
	return &csvTable{buf: buf, w: csv.NewWriter(buf)}
}

func (t *csvTable) start() error {
	if t.bom {
		return nil
	}
	t.bom = true
	_, err := t.buf.WriteString("\uFEFF")
	return err
}

func (t *csvTable) Header(columns []string) error {
	if err := t.start(); err != nil {
		return err
	}
	return t.w.Write(columns)
}

func (t *csvTable) Row(cells []any) error {
	rec := make([]string, len(cells))
	for i, c := range cells {
		rec[i] = text(c)
		if _, isText := c.(string); isText {
			rec[i] = defuse(rec[i])
		}
	}
	return t.w.Write(rec)
}

func (t *csvTable) Close() error {
	if err := t.start(); err != nil {
		return err
	}
	t.w.Flush()
	if err := t.w.Error(); err != nil {
		return err
	}
	return t.buf.Flush()
}

// defuse keeps a spreadsheet from reading text as a formula (CSV injection): text that starts with = + - @ or
// a control character gets a leading apostrophe, which Excel and LibreOffice hide.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// text formats a cell for CSV.
func text(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(c)
}

// xlsxTable streams rows into one sheet with excelize's StreamWriter, which keeps at most a chunk of rows in
// memory and the rest in a temporary file, then writes the workbook on Close.
type xlsxTable struct {
	out      io.Writer
	f        *excelize.File
	sw       *excelize.StreamWriter
	sheet    string
	row      int
	cols     int
	readOnly map[int]bool // columns (0-based) that imports ignore, shaded grey
	roStyle  int
	header   []string
}

func newXLSX(w io.Writer, sheet string) (*xlsxTable, error) {
	f := excelize.NewFile()
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	ro, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "595959"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}}})
	if err != nil {
		return nil, err
	}
	return &xlsxTable{out: w, f: f, sw: sw, sheet: sheet, roStyle: ro}, nil
}

// NextSheet finishes the current sheet and starts another, named name, in the same workbook.
func (t *xlsxTable) NextSheet(name string) error {
	if err := t.finishSheet(); err != nil {
		return err
	}
	if _, err := t.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := t.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	t.sw, t.sheet, t.row, t.cols, t.readOnly, t.header = sw, name, 0, 0, nil, nil
	return nil
}

func (t *xlsxTable) Header(columns []string) error {
	// Read-only columns (chainmap.Sheets) are shaded grey, header and cells, and their header's note says
	// that imports ignore them.
	t.readOnly = map[int]bool{}
	t.header = columns
	kind, known := chainmap.SheetByName(t.sheet)
	for i, c := range columns {
		if col, ok := kind.Column(c); known && ok && col.ReadOnly {
			t.readOnly[i] = true
		}
	}
	// Freeze the header row, so it stays in view while scrolling.
	if err := t.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, c := range columns {
		width := 14.0
		switch c {
		case "name", "nameEn", "segments", "sites", "tacklers", "description", "sources":
			width = 40
		}
		if err := t.sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	style, err := t.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	roHeader, err := t.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Italic: true, Color: "595959"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}}})
	if err != nil {
		return err
	}
	cells := make([]any, len(columns))
	for i, c := range columns {
		s := style
		if t.readOnly[i] {
			s = roHeader
		}
		cells[i] = excelize.Cell{StyleID: s, Value: c}
	}
	t.cols = len(columns)
	return t.write(cells)
}

func (t *xlsxTable) Row(cells []any) error {
	if len(t.readOnly) > 0 {
		styled := make([]any, len(cells))
		for i, c := range cells {
			styled[i] = c
			if t.readOnly[i] {
				styled[i] = excelize.Cell{StyleID: t.roStyle, Value: c}
			}
		}
		cells = styled
	}
	return t.write(cells) // excelize writes strings as text, never as formulas
}

func (t *xlsxTable) write(cells []any) error {
	t.row++
	cell, err := excelize.CoordinatesToCellName(1, t.row)
	if err != nil {
		return err
	}
	return t.sw.SetRow(cell, cells)
}

func (t *xlsxTable) finishSheet() error {
	if t.cols > 0 && t.row > 1 {
		// An Excel table: a filter button on each column.
		last, _ := excelize.CoordinatesToCellName(t.cols, t.row)
		if err := t.sw.AddTable(&excelize.Table{Name: "t_" + strings.ReplaceAll(t.sheet, "-", "_"), Range: "A1:" + last,
			StyleName: "TableStyleLight9"}); err != nil {
			return err
		}
	}
	if err := t.sw.Flush(); err != nil {
		return err
	}
	// Each header's note says what the column holds (chainmap.Sheets), and for a read-only one that an upload
	// ignores it.
	kind, known := chainmap.SheetByName(t.sheet)
	for i, name := range t.header {
		c, ok := kind.Column(name)
		if !known || !ok || c.Doc == "" {
			continue
		}
		text := c.Doc
		if c.ReadOnly {
			text = "Read-only: " + text + ". Loads and uploads ignore this column."
		}
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := t.f.AddComment(t.sheet, excelize.Comment{Cell: cell, Author: "chainmap",
			Paragraph: []excelize.RichTextRun{{Text: text}}}); err != nil {
			return err
		}
	}
	return nil
}

func (t *xlsxTable) Close() error {
	defer t.f.Close()
	if err := t.finishSheet(); err != nil {
		return err
	}
	if idx, err := t.f.GetSheetIndex(t.f.GetSheetList()[0]); err == nil {
		t.f.SetActiveSheet(idx)
	}
	_, err := t.f.WriteTo(t.out)
	return err
}
