package neo4jdb

import (
	"testing"

	"github.com/chainmap/chainmap"
)

func TestProgressByYear(t *testing.T) {
	hs := []history{
		{status: chainmap.InProgress, started: 2019},
		{status: chainmap.Resolved, started: 2020, resolved: 2022},
		{status: chainmap.Open},
		{status: chainmap.Resolved, started: 2021}, // resolved, but the year is not recorded: counted in the last year
		{status: chainmap.InProgress},              // in progress, undated: counted in the last year
	}
	got := progressByYear(hs)
	want := []chainmap.YearProgress{
		{Year: 2019, Started: 1, Open: 4, InProgress: 1},
		{Year: 2020, Started: 1, Open: 3, InProgress: 2},
		{Year: 2021, Started: 1, Open: 2, InProgress: 3},
		{Year: 2022, Started: 1, ResolvedInYear: 2, Open: 1, InProgress: 2, ResolvedSoFar: 2},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("year %d: got %+v, want %+v", want[i].Year, got[i], want[i])
		}
	}
	if progressByYear([]history{{status: chainmap.Open}}) != nil {
		t.Error("no dated event should give no years")
	}
}
