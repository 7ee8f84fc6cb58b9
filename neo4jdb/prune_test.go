package neo4jdb_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

// A pruning load refuses, writing nothing, when it would wipe or gut the curated data (issue 9, item 7).
func TestPruneRefusesLargeDeletions(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	if _, err := db.WriteDataset(ctx, testDataset(t), chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	curated := count(t, `MATCH (n) WHERE n.origin = 'seed' RETURN count(n) AS n`)

	withoutEnterprises := testDataset(t)
	withoutEnterprises.Enterprises, withoutEnterprises.Sites = nil, nil
	withoutEnterprises.Supplies, withoutEnterprises.TechTransfers = nil, nil
	for i := range withoutEnterprises.Bottlenecks {
		withoutEnterprises.Bottlenecks[i].Tacklers = nil
	}
	for _, tc := range []struct {
		name    string
		ds      *chainmap.Dataset
		opts    chainmap.LoadOptions
		wantMsg string
	}{
		{"empty data set", &chainmap.Dataset{}, chainmap.LoadOptions{Prune: true}, "the new data set is empty"},
		{"more than the share", withoutEnterprises, chainmap.LoadOptions{Prune: true}, "more than the 20% allowed"},
		{"nothing to delete", testDataset(t), chainmap.LoadOptions{Prune: true, MaxPrune: 0.01}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := neo4jtest.Snapshot(t)
			_, err := db.WriteDataset(ctx, tc.ds, tc.opts)
			if tc.wantMsg == "" {
				if err != nil {
					t.Fatalf("WriteDataset: %v", err)
				}
				return
			}
			if !errors.Is(err, chainmap.ErrPruneRefused) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("WriteDataset: %v, want %v saying %q", err, chainmap.ErrPruneRefused, tc.wantMsg)
			}
			if after := neo4jtest.Snapshot(t); !reflect.DeepEqual(before, after) {
				t.Error("a refused prune changed the graph")
			}
		})
	}

	// A larger share, stated, is allowed.
	if _, err := db.WriteDataset(ctx, withoutEnterprises, chainmap.LoadOptions{Prune: true, MaxPrune: 0.9}); err != nil {
		t.Fatalf("prune within -max-prune: %v", err)
	}
	if n := count(t, `MATCH (e:Enterprise) RETURN count(e) AS n`); n != 0 {
		t.Errorf("%d enterprises left after pruning them all", n)
	}
	// -force empties it.
	if _, err := db.WriteDataset(ctx, &chainmap.Dataset{}, chainmap.LoadOptions{Prune: true, Force: true}); err != nil {
		t.Fatalf("forced prune: %v", err)
	}
	if n := count(t, `MATCH (n) WHERE n.origin = 'seed' RETURN count(n) AS n`); n != 0 {
		t.Errorf("%d curated nodes left after a forced prune of an empty data set (had %d)", n, curated)
	}
	// Loading an empty data set without -prune changes nothing and is fine.
	if _, err := db.WriteDataset(ctx, &chainmap.Dataset{}, chainmap.LoadOptions{}); err != nil {
		t.Errorf("empty load without prune: %v", err)
	}
}

// A prune that would pull a curated node from under a record created through the API is refused: an editor's
// firm would lose the region of its site.
func TestPruneKeepsWhatAPIRecordsNeed(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	if _, err := db.WriteDataset(ctx, testDataset(t), chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpsertEnterprise(ctx, testEnterprise("api-firm"),
		[]chainmap.Site{{ID: "api-firm-hq", Kind: chainmap.HQ, RegionCode: "110108"}}, false, "ed"); err != nil {
		t.Fatal(err)
	}
	smaller := testDataset(t)
	var regions []chainmap.Region
	for _, r := range smaller.Regions {
		if r.Code != "110108" {
			regions = append(regions, r)
		}
	}
	smaller.Regions = regions
	smaller.Institutions = nil // it is in 110108 too
	for i := range smaller.Bottlenecks {
		smaller.Bottlenecks[i].Tacklers = nil
	}
	var sites []chainmap.Site
	for _, s := range smaller.Sites {
		if s.RegionCode != "110108" {
			sites = append(sites, s)
		}
	}
	smaller.Sites, smaller.TechTransfers = sites, nil

	_, err := db.WriteDataset(ctx, smaller, chainmap.LoadOptions{Prune: true, MaxPrune: 0.9})
	if !errors.Is(err, chainmap.ErrPruneRefused) || !strings.Contains(err.Error(), "Region") {
		t.Fatalf("WriteDataset: %v, want %v naming Region", err, chainmap.ErrPruneRefused)
	}
	if n := count(t, `MATCH (:Site {id: 'api-firm-hq'})-[:LOCATED_IN]->(:Region {code: '110108'}) RETURN count(*) AS n`); n != 1 {
		t.Error("the refused prune detached the API site from its region")
	}
	if _, err := db.WriteDataset(ctx, smaller, chainmap.LoadOptions{Prune: true, MaxPrune: 0.9, Force: true}); err != nil {
		t.Fatalf("forced: %v", err)
	}
}
