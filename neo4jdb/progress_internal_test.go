package neo4jdb

import (
	"testing"

	"github.com/chainmap/chainmap"
)

func TestProgressByYear(t *testing.T) {
	step := func(year int, to chainmap.BottleneckStatus) statusStep { return statusStep{year: year, to: to} }
	for _, tc := range []struct {
		name string
		hs   []history
		want []chainmap.YearProgress
	}{
		{"tacklers, dated changes and undated seed statuses", []history{
			{status: chainmap.InProgress, since: 2019},
			{status: chainmap.Resolved, changes: []statusStep{step(2020, chainmap.InProgress), step(2022, chainmap.Resolved)}},
			{status: chainmap.Open},
			{status: chainmap.Resolved, since: 2021}, // resolved, the year not recorded: counted in the last year
			{status: chainmap.InProgress},            // in progress, undated: counted in the last year
		}, []chainmap.YearProgress{
			{Year: 2019, Started: 1, Open: 4, InProgress: 1},
			{Year: 2020, Started: 1, Open: 3, InProgress: 2},
			{Year: 2021, Started: 1, Open: 2, InProgress: 3},
			{Year: 2022, Started: 1, ResolvedInYear: 2, Open: 1, InProgress: 2, ResolvedSoFar: 2},
		}},
		{"a reopened bottleneck is open again, and resolved again when it is", []history{
			{status: chainmap.Open, since: 2019, changes: []statusStep{step(2020, chainmap.Resolved), step(2021, chainmap.Open)}},
			{status: chainmap.Resolved, changes: []statusStep{step(2019, chainmap.Resolved), step(2020, chainmap.Open),
				step(2020, chainmap.InProgress), step(2022, chainmap.Resolved)}},
		}, []chainmap.YearProgress{
			{Year: 2019, Started: 2, ResolvedInYear: 1, InProgress: 1, ResolvedSoFar: 1},
			{Year: 2020, Started: 1, ResolvedInYear: 1, InProgress: 1, ResolvedSoFar: 1},
			{Year: 2021, Open: 1, InProgress: 1},
			{Year: 2022, ResolvedInYear: 1, Open: 1, ResolvedSoFar: 1},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := progressByYear(tc.hs)
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v", got)
			}
			for i := range tc.want {
				if got[i] != tc.want[i] {
					t.Errorf("year %d: got %+v, want %+v", tc.want[i].Year, got[i], tc.want[i])
				}
			}
		})
	}
	if progressByYear([]history{{status: chainmap.Open}}) != nil {
		t.Error("no dated event should give no years")
	}
}
