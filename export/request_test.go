package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/export"
)

// bottleneckStore answers ExportBottlenecks with one row per call, naming the status it was asked for; the
// other methods are not called (they panic on the nil Store).
type bottleneckStore struct {
	export.Store
	asked []chainmap.BottleneckFilter
}

func (s *bottleneckStore) ExportBottlenecks(_ context.Context, f chainmap.BottleneckFilter, w chainmap.TableWriter) error {
	s.asked = append(s.asked, f)
	if err := w.Header([]string{"id", "status"}); err != nil {
		return err
	}
	status := "any"
	if f.Status != nil {
		status = string(*f.Status)
	}
	return w.Row([]any{"b-" + strings.ToLower(status), status})
}

// The explorer's region panel lists the unresolved bottlenecks (open, then in progress): status takes a list,
// and the file holds both in one table, in that order.
func TestBottleneckStatuses(t *testing.T) {
	for _, tc := range []struct {
		query string
		rows  [][]string // "" rows: want an error containing wantErr
		err   string
	}{
		{"chainMapId=hydrogen&affectsRegionCode=130600&status=OPEN,IN_PROGRESS", [][]string{{"id", "status"}, {"b-open", "OPEN"}, {"b-in_progress", "IN_PROGRESS"}}, ""},
		{"chainMapId=hydrogen&status=RESOLVED", [][]string{{"id", "status"}, {"b-resolved", "RESOLVED"}}, ""},
		{"chainMapId=hydrogen", [][]string{{"id", "status"}, {"b-any", "any"}}, ""},
		{"status=OPEN,open", nil, `status="open": want one of OPEN, IN_PROGRESS, RESOLVED`},
		{"status=OPEN,OPEN", nil, `lists "OPEN" twice`},
		{"status=OPEN,", nil, "status is empty"},
		{"status=OPEN,RESOLVED&colour=red", nil, "unknown parameter colour"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tc.query)
			req, err := export.Parse("bottlenecks.csv", q)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, export.ErrBadFilter) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			s := &bottleneckStore{}
			if err := req.Write(context.Background(), s, &buf); err != nil {
				t.Fatal(err)
			}
			got, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
			if err != nil {
				t.Fatalf("%v\n%s", err, buf.String())
			}
			if !reflect.DeepEqual(got, tc.rows) {
				t.Errorf("rows %q, want %q", got, tc.rows)
			}
			for _, f := range s.asked {
				if f.ChainMapID == nil || *f.ChainMapID != "hydrogen" {
					t.Errorf("a read lost the other parameters: %+v", f)
				}
			}
		})
	}
}
