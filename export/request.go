package export

import (
	"context"
	"errors"
	"io"
	"net/url"
	"strings"

	"github.com/chainmap/chainmap"
)

// Store is what exports read from.
type Store interface {
	ExportEnterprises(ctx context.Context, f chainmap.EnterpriseFilter, w chainmap.TableWriter) error
	ExportSites(ctx context.Context, f chainmap.EnterpriseFilter, w chainmap.TableWriter) error
	ExportBottlenecks(ctx context.Context, f chainmap.BottleneckFilter, w chainmap.TableWriter) error
	ExportGraph(ctx context.Context, chainMapID string, w chainmap.GraphWriter) error
	PlannerStore
}

// Files are the exports, by file name.
var Files = []string{"enterprises.csv", "enterprises.xlsx", "sites.csv", "sites.xlsx", "bottlenecks.csv", "bottlenecks.xlsx",
	"graph.graphml", "graph.gexf", "region-gaps.csv", "region-gaps.xlsx", "scenario.csv", "scenario.xlsx", "changes.csv", "changes.xlsx"}

// ErrNoSuchExport is returned by Parse for a file name that is not one of Files.
var ErrNoSuchExport = errors.New("no such export: the exports are " + strings.Join(Files, ", "))

// Request is one export: a file of Files and its parameters, checked.
type Request struct {
	File, Format string
	write        func(ctx context.Context, s Store, w io.Writer) error
}

// Parse checks an export's file name and query parameters. Its errors wrap ErrNoSuchExport or ErrBadFilter.
func Parse(file string, q url.Values) (Request, error) {
	what, format, _ := strings.Cut(file, ".")
	req := Request{File: file, Format: format}
	table := func(read func(context.Context, Store, chainmap.TableWriter) error) func(context.Context, Store, io.Writer) error {
		return func(ctx context.Context, s Store, w io.Writer) error {
			t, err := NewTable(format, w, what)
			if err != nil {
				return err
			}
			if err := read(ctx, s, t); err != nil {
				return err
			}
			return t.Close()
		}
	}
	isTable := format == CSV || format == XLSX
	switch {
	case what == "enterprises" && isTable:
		f, err := EnterpriseFilter(q)
		if err != nil {
			return req, err
		}
		req.write = table(func(ctx context.Context, s Store, t chainmap.TableWriter) error {
			if err := s.ExportEnterprises(ctx, f, t); err != nil {
				return err
			}
			// A workbook holds the enterprises' sites too, in a sheet of their own: edited there, they load back.
			if wb, ok := t.(*xlsxTable); ok {
				if err := wb.NextSheet(chainmap.SheetSites); err != nil {
					return err
				}
				return s.ExportSites(ctx, f, t)
			}
			return nil
		})
	case what == "sites" && isTable:
		f, err := EnterpriseFilter(q)
		if err != nil {
			return req, err
		}
		req.write = table(func(ctx context.Context, s Store, t chainmap.TableWriter) error {
			return s.ExportSites(ctx, f, t)
		})
	case what == "bottlenecks" && isTable:
		fs, err := BottleneckFilters(q)
		if err != nil {
			return req, err
		}
		req.write = table(func(ctx context.Context, s Store, t chainmap.TableWriter) error {
			// Several statuses: one read each, into one table with one header.
			one := &headerOnce{TableWriter: t}
			for _, f := range fs {
				if err := s.ExportBottlenecks(ctx, f, one); err != nil {
					return err
				}
			}
			return nil
		})
	case isTable && plannerTables[what] != nil:
		read, err := plannerTables[what](q)
		if err != nil {
			return req, err
		}
		req.write = table(read)
	case what == "graph" && (format == GraphMLFormat || format == GEXFFormat):
		id, err := GraphParams(q)
		if err != nil {
			return req, err
		}
		newGraph := NewGraphML
		if format == GEXFFormat {
			newGraph = NewGEXF
		}
		req.write = func(ctx context.Context, s Store, w io.Writer) error {
			g := newGraph(w, id)
			if err := s.ExportGraph(ctx, id, g); err != nil {
				return err
			}
			return g.Close()
		}
	default:
		return req, ErrNoSuchExport
	}
	return req, nil
}

// Write reads the export from s and writes the file to w, as the rows come. Store errors are returned as
// they are (chainmap.ErrNotFound for a chain map that does not exist).
func (r Request) Write(ctx context.Context, s Store, w io.Writer) error { return r.write(ctx, s, w) }

// headerOnce passes a table's header on the first time only: several reads make one table.
type headerOnce struct {
	chainmap.TableWriter
	done bool
}

func (h *headerOnce) Header(columns []string) error {
	if h.done {
		return nil
	}
	h.done = true
	return h.TableWriter.Header(columns)
}
