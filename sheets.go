package chainmap

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Spreadsheets go both ways: what chainmap exports (CSV, XLSX) can be edited in Excel and loaded back, by
// `chainmap load` as seed data or by an editor's upload as an edit. The sheets below are the one place their
// columns are spelled: the exports write the exported columns in this order, and the loader and the upload read
// the same columns. Read-only columns (a display name, a summary of related records, the sources' titles) are
// there for reading; imports ignore them. A list cell separates its items with ';'.

// SheetColumn is one column of a sheet.
type SheetColumn struct {
	Name string
	// ReadOnly columns are derived from other fields or records: exports write them, imports ignore them.
	ReadOnly bool
	// Exported columns are written by the exports; the others are read from seed spreadsheets only.
	Exported bool
	// Doc says what the column holds; an XLSX export shows it as the header's note.
	Doc string
}

// Sheet is a kind of spreadsheet: a CSV file named after it (enterprises.csv, enterprises-2024.csv) or an XLSX
// sheet of that name.
type Sheet struct {
	Name    string
	Columns []SheetColumn
}

// The sheets a spreadsheet may hold.
const (
	SheetEnterprises = "enterprises"
	SheetSites       = "sites"
	SheetBottlenecks = "bottlenecks"
	SheetSupplies    = "supplies"
	SheetListItems   = "list-items"
)

// ListSeparator separates the items of a list cell (segment ids, source ids, tacklers).
const ListSeparator = ";"

func col(name, doc string) SheetColumn { return SheetColumn{Name: name, Exported: true, Doc: doc} }
func ro(name, doc string) SheetColumn {
	return SheetColumn{Name: name, Exported: true, ReadOnly: true, Doc: doc}
}
func seedCol(name, doc string) SheetColumn { return SheetColumn{Name: name, Doc: doc} }

// Sheets lists every sheet, in the order a workbook holds them.
var Sheets = []Sheet{
	{Name: SheetEnterprises, Columns: []SheetColumn{
		col("id", "the enterprise's id (lower-case letters, digits and '-'); a new id adds an enterprise"),
		ro("name", "display name: nameEn, else nameZh"),
		col("nameZh", "Chinese name"),
		col("nameEn", "English name"),
		col("chainRole", "CHAIN_MASTER, LEAD or SUPPORTING; empty when no source gives a tier"),
		ro("chainMaps", "the chain maps of its segments"),
		col("segmentIds", "ids of the segments it is active in, separated by ';'"),
		ro("segments", "its segments' names and ids"),
		ro("stages", "the stages of its segments"),
		ro("provinces", "the provinces of its sites"),
		ro("sites", "its sites: kind, region and code (edit them in the sites sheet)"),
		ro("synthetic", "true for records made by `chainmap gen`, which are never imported"),
		col("confidence", "REPORTED or ILLUSTRATIVE"),
		col("description", "what the sources say the firm does"),
		col("sourceIds", "ids of the sources that back the record, separated by ';'"),
		ro("sources", "the sources' titles and addresses"),
		ro("sourcesAsOf", "the date of the newest source"),
		seedCol("branchOf", "the parent enterprise's id, for a branch (seed files only)"),
		seedCol("evidence", "what the sources state, in one sentence (seed files only)"),
	}},
	{Name: SheetSites, Columns: []SheetColumn{
		col("id", "the site's id; a new id adds a site"),
		col("enterprise", "the id of the enterprise that operates it"),
		col("kind", "HQ, RD, MANUFACTURING, ASSEMBLY, TESTING or PILOT"),
		col("region", "GB/T 2260 code of the region it is in"),
		ro("regionName", "the region's name"),
		col("park", "the id of the industrial park it is in, if any"),
		col("name", "display name"),
		col("since", "the year it opened, if known"),
		col("capacity", "stated capacity"),
		seedCol("nameZh", "Chinese name (seed files only)"),
		seedCol("nameEn", "English name (seed files only)"),
		seedCol("confidence", "REPORTED or ILLUSTRATIVE; default the enterprise's (seed files only)"),
		seedCol("sourceIds", "source ids; default the enterprise's (seed files only)"),
		seedCol("evidence", "what the sources state (seed files only)"),
	}},
	{Name: SheetBottlenecks, Columns: []SheetColumn{
		col("id", "the bottleneck's id; a new id adds a bottleneck"),
		ro("name", "display name: nameEn, else nameZh"),
		col("nameZh", "Chinese name"),
		col("nameEn", "English name"),
		col("kind", "CHOKEPOINT (卡点) or GAP (堵点)"),
		col("category", "KEY_COMPONENT, MATERIAL, EQUIPMENT, SOFTWARE, PROCESS, STANDARD or TESTING"),
		col("severity", "1 (minor) to 5 (import-dependent chokepoint)"),
		col("status", "OPEN, IN_PROGRESS or RESOLVED; a change is added to the status history"),
		ro("chainMaps", "the chain maps of its segments"),
		col("segmentIds", "ids of the segments it constrains, separated by ';'"),
		ro("segments", "its segments' names and ids"),
		col("tacklerIds", "ids of the enterprises or institutions working on it, each optionally with (since, status), separated by ';'"),
		ro("tacklers", "its tacklers' names (since, status)"),
		col("description", "what the sources say"),
		col("confidence", "REPORTED or ILLUSTRATIVE"),
		col("sourceIds", "ids of the sources that back the record, separated by ';'"),
		ro("sources", "the sources' titles and addresses"),
		ro("sourcesAsOf", "the date of the newest source"),
		seedCol("evidence", "what the sources state (seed files only)"),
	}},
	{Name: SheetSupplies, Columns: []SheetColumn{
		seedCol("from", "the supplier's id"), seedCol("to", "the customer's id"), seedCol("product", "what is supplied"),
		seedCol("since", "year"), seedCol("confidence", "REPORTED or ILLUSTRATIVE"), seedCol("sourceIds", "source ids"),
		seedCol("evidence", "what the sources state"),
	}},
	{Name: SheetListItems, Columns: []SheetColumn{
		seedCol("list", "the official list's id"), seedCol("rank", "position in the list"),
		seedCol("label", "the entry as the list words it"), seedCol("ref", "the record it is, if the graph holds it"),
		seedCol("tier", "CHAIN_MASTER, LEAD or SUPPORTING"), seedCol("confidence", "default the list's"),
		seedCol("sourceIds", "default the list's"), seedCol("evidence", "what the sources state"),
	}},
}

// SheetByName returns the sheet of that name.
func SheetByName(name string) (Sheet, bool) {
	for _, s := range Sheets {
		if s.Name == name {
			return s, true
		}
	}
	return Sheet{}, false
}

// Column returns the sheet's column of that name.
func (s Sheet) Column(name string) (SheetColumn, bool) {
	for _, c := range s.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return SheetColumn{}, false
}

// Exported returns the names of the columns exports write, in order.
func (s Sheet) Exported() []string {
	var out []string
	for _, c := range s.Columns {
		if c.Exported {
			out = append(out, c.Name)
		}
	}
	return out
}

// ImportSheets are the sheets an editor's upload may hold: those the exports write.
var ImportSheets = []string{SheetEnterprises, SheetSites, SheetBottlenecks}

// MaxImportRows bounds the rows of an upload (all its sheets together).
const MaxImportRows = 5000

// SheetImport is a spreadsheet an editor uploaded, read and checked for shape: each row names a record and
// gives the values of the editable columns its sheet has. A column the sheet lacks leaves the field alone; an
// empty cell clears it. Rows the sheet lacks leave their records alone: an upload adds and changes, never deletes.
type SheetImport struct {
	File string
	Rows []ImportRow
	// Ignored lists the read-only columns the file had, which the import ignores.
	Ignored []string
}

// ImportRow is one row of an uploaded sheet.
type ImportRow struct {
	Sheet string // SheetEnterprises, SheetSites or SheetBottlenecks
	Row   int    // as the spreadsheet numbers it: the header is row 1
	ID    string
	// Values holds, by column name, the editable cells of the row: a string, an int, a []string or a []Tackler;
	// nil for an empty cell (the field is cleared).
	Values map[string]any
	// Cells gives each column's cell reference (e.g. "D5"), for problems.
	Cells map[string]string
}

// Has reports whether the row's sheet has the column.
func (r ImportRow) Has(column string) bool { _, ok := r.Values[column]; return ok }

// Str returns a text cell ("" when empty or absent).
func (r ImportRow) Str(column string) string { s, _ := r.Values[column].(string); return s }

// ImportStatus says what applying a row does to its record.
type ImportStatus string

const (
	ImportAdded     ImportStatus = "ADDED"
	ImportChanged   ImportStatus = "CHANGED"
	ImportUnchanged ImportStatus = "UNCHANGED"
)

// FieldChange is a column whose value a row changes, both values written as the sheet writes them.
type FieldChange struct {
	Column string `json:"column"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// ImportRecord is what one row does.
type ImportRecord struct {
	Sheet   string        `json:"sheet"`
	Row     int           `json:"row"`
	ID      string        `json:"id"`
	Name    string        `json:"name"`
	Status  ImportStatus  `json:"status"`
	Changes []FieldChange `json:"changes"`
}

// ImportResult is what an upload would do (a preview) or did (once applied).
type ImportResult struct {
	File      string         `json:"file"`
	Added     int            `json:"added"`
	Changed   int            `json:"changed"`
	Unchanged int            `json:"unchanged"`
	Ignored   []string       `json:"ignoredColumns"`
	Records   []ImportRecord `json:"records"`
	// Plan is a digest of the changes: applying with it writes only if the changes are still exactly these.
	Plan    string `json:"plan"`
	Applied bool   `json:"applied"`
	// Changes are the sequence numbers of the change-log entries the apply wrote.
	Changes []int64 `json:"changeSeqs"`
}

// SheetProblem is something wrong with a cell, a row or a whole uploaded spreadsheet.
type SheetProblem struct {
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row,omitempty"`    // 0: the file as a whole; 1: the header
	Column  string `json:"column,omitempty"` // "" for the whole row
	Cell    string `json:"cell,omitempty"`   // e.g. "D5"
	Message string `json:"message"`
}

func (p SheetProblem) String() string {
	var where []string
	if p.Sheet != "" {
		where = append(where, p.Sheet)
	}
	switch {
	case p.Cell != "":
		where = append(where, p.Cell)
	case p.Row > 0:
		where = append(where, fmt.Sprintf("row %d", p.Row))
	}
	if p.Column != "" {
		where = append(where, "("+p.Column+")")
	}
	if len(where) == 0 {
		return p.Message
	}
	return strings.Join(where, " ") + ": " + p.Message
}

// SheetError lists every problem of an upload; nothing was written. It is a BAD_USER_INPUT error, or a CONFLICT
// one when a row collides with the graph (an id another kind holds, a site another enterprise operates, a
// status change the history forbids).
type SheetError struct {
	Code     string
	Problems []SheetProblem
}

func (e *SheetError) Error() string {
	lines := []string{fmt.Sprintf("%d problem(s) in the spreadsheet; nothing was written:", len(e.Problems))}
	for _, p := range e.Problems {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

// Is makes errors.Is(err, ErrConflict) and errors.Is(err, &Error{Code: CodeBadUserInput}) work.
func (e *SheetError) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Field == ""
}

// SplitList splits a list cell at ';', dropping blanks.
func SplitList(cell string) []string {
	var out []string
	for _, s := range strings.Split(cell, ListSeparator) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

var tacklerRE = regexp.MustCompile(`^([^\s()]+)\s*(?:\(\s*([0-9?]*)\s*(?:,\s*([A-Z_?]*)\s*)?\))?$`)

// ParseTacklers reads a tacklerIds cell: ids separated by ';', each optionally followed by "(since, status)",
// e.g. "sinohytec (2019, IN_PROGRESS); tsinghua (2020); casc". A '?' stands for an unknown year or status.
func ParseTacklers(cell string) ([]Tackler, error) {
	var out []Tackler
	for _, part := range SplitList(cell) {
		m := tacklerRE.FindStringSubmatch(part)
		if m == nil {
			return nil, fmt.Errorf("%q: want an id, optionally followed by (since, status), e.g. sinohytec (2019, IN_PROGRESS)", part)
		}
		t := Tackler{ID: m[1]}
		if m[2] != "" && m[2] != "?" {
			t.Since, _ = strconv.Atoi(m[2])
		}
		if m[3] != "" && m[3] != "?" {
			if !Valid(BottleneckStatus(m[3]), BottleneckStatuses) {
				return nil, fmt.Errorf("%q: status %q is not one of %s", part, m[3], joinValues(BottleneckStatuses))
			}
			t.Status = BottleneckStatus(m[3])
		}
		out = append(out, t)
	}
	return out, nil
}

// FormatTacklers writes tacklers as a tacklerIds cell, as ParseTacklers reads it.
func FormatTacklers(ts []Tackler) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.ID
		if t.Since != 0 || t.Status != "" {
			since, status := "?", "?"
			if t.Since != 0 {
				since = strconv.Itoa(t.Since)
			}
			if t.Status != "" {
				status = string(t.Status)
			}
			parts[i] += " (" + since + ", " + status + ")"
		}
	}
	return strings.Join(parts, ListSeparator+" ")
}
