package graph_test

import (
	"encoding/json"
	"testing"

	"github.com/chainmap/chainmap/graph"
)

// Every record says how fresh it is: sourcesAsOf is the newest date among the sources it lists, for nodes,
// supply links and R&D links alike, in the same one statement per root field.
func TestSourcesAsOfIsTheNewestSource(t *testing.T) {
	srv := newServer(t, graph.Options{})
	r := do(t, srv, "", `{
  enterprises(first: 100) { nodes { id sourcesAsOf sources { date } sites { id sourcesAsOf sources { date } } } }
  bottlenecks(first: 100) { nodes { id sourcesAsOf sources { date } } }
  rdManufacturingLinks(first: 100) { nodes { sourcesAsOf sources { date } } }
  chainMaps { id sourcesAsOf sources { date } segments { id sourcesAsOf sources { date } } }
}`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	if r.Extensions.Cost.RoundTrips != 4 {
		t.Errorf("round trips = %d, want 4 (one per root field)", r.Extensions.Cost.RoundTrips)
	}
	type dated struct {
		ID          string `json:"id"`
		SourcesAsOf *string
		Sources     []struct{ Date *string }
		Sites       []dated
		Segments    []dated
	}
	var data struct {
		Enterprises          struct{ Nodes []dated }
		Bottlenecks          struct{ Nodes []dated }
		RDManufacturingLinks struct{ Nodes []dated }
		ChainMaps            []dated
	}
	if err := json.Unmarshal(r.Data, &data); err != nil {
		t.Fatal(err)
	}
	checked, dates := 0, 0
	var check func(what string, d dated)
	check = func(what string, d dated) {
		want := ""
		for _, s := range d.Sources {
			if s.Date != nil && *s.Date > want {
				want = *s.Date
			}
		}
		got := ""
		if d.SourcesAsOf != nil {
			got = *d.SourcesAsOf
		}
		if got != want {
			t.Errorf("%s %s: sourcesAsOf %q, want the newest source date %q", what, d.ID, got, want)
		}
		checked++
		if got != "" {
			dates++
		}
		for _, s := range d.Sites {
			check("site", s)
		}
		for _, s := range d.Segments {
			check("segment", s)
		}
	}
	for _, n := range data.Enterprises.Nodes {
		check("enterprise", n)
	}
	for _, n := range data.Bottlenecks.Nodes {
		check("bottleneck", n)
	}
	for _, n := range data.RDManufacturingLinks.Nodes {
		check("R&D link", n)
	}
	for _, n := range data.ChainMaps {
		check("chain map", n)
	}
	if checked < 300 || dates < checked/2 {
		t.Errorf("checked %d records, %d with a date: the seeds should give hundreds, most dated", checked, dates)
	}
}
