package backup_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/loader"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/seeds"
)

// editor makes editors' changes through the store, of every kind the API has, deterministically: new firms
// with sites, edits of curated firms and bottlenecks, site replacements, status changes in a cycle, supply
// links made and removed, tech transfers. Each call to next makes one change.
type editor struct {
	db               *neo4jdb.DB
	ds               *chainmap.Dataset
	n                int
	bjSites, thSites []string                             // curated sites in Beijing, and in Tianjin or Hebei
	firms            []string                             // enterprises made so far
	links            [][3]string                          // supply links made so far, not removed
	bns              []string                             // bottlenecks made so far
	status           map[string]chainmap.BottleneckStatus // of the bottlenecks whose status this editor changed
	curatedGone      int                                  // curated supply links removed so far (the first of ds.Supplies)
}

func newEditor(t testing.TB, db *neo4jdb.DB) *editor {
	t.Helper()
	ds, err := loader.ParseFS(seeds.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	e := &editor{db: db, ds: ds, status: map[string]chainmap.BottleneckStatus{}}
	for _, b := range ds.Bottlenecks {
		e.status[b.ID] = b.Status
	}
	province := map[string]string{}
	for _, r := range ds.Regions {
		province[r.Code] = r.ProvinceCode
	}
	for _, s := range ds.Sites {
		switch province[s.RegionCode] {
		case chainmap.Beijing:
			e.bjSites = append(e.bjSites, s.ID)
		case chainmap.Tianjin, chainmap.Hebei:
			e.thSites = append(e.thSites, s.ID)
		}
	}
	return e
}

// nextStatus is a cycle of status changes that every status allows.
var nextStatus = map[chainmap.BottleneckStatus]chainmap.BottleneckStatus{"": chainmap.InProgress,
	chainmap.Open: chainmap.InProgress, chainmap.InProgress: chainmap.Resolved, chainmap.Resolved: chainmap.Open}

// next makes the next change and returns what it was.
func (e *editor) next(ctx context.Context) (string, error) {
	i := e.n
	e.n++
	ds := e.ds
	prov := chainmap.Provenance{Confidence: chainmap.Reported, SourceIDs: []string{ds.Sources[i%len(ds.Sources)].ID}}
	author := fmt.Sprintf("editor-%d", i%3)
	seg := func(k int) string { return ds.Segments[k%len(ds.Segments)].ID }
	region := func(k int) string { return ds.Regions[k%len(ds.Regions)].Code }
	switch i % 10 {
	case 0, 5: // a new firm with sites, one in a park
		id := fmt.Sprintf("ed-firm-%d", i)
		sites := []chainmap.Site{{ID: id + "-hq", Kind: "HQ", RegionCode: region(i)},
			{ID: id + "-plant", Kind: "MANUFACTURING", RegionCode: ds.Parks[i%len(ds.Parks)].RegionCode,
				ParkID: ds.Parks[i%len(ds.Parks)].ID, Name: "工厂 " + id, Since: 2000 + i%24, Capacity: fmt.Sprintf("%d units", i)}}
		_, err := e.db.UpsertEnterprise(ctx, chainmap.Enterprise{ID: id, Name: "Firm " + id, NameZh: "企业" + id, NameEn: "Firm " + id,
			SegmentIDs: []string{seg(i), seg(i + 7)}, Description: fmt.Sprintf("made by edit %d", i), Provenance: prov},
			sites, true, author)
		if err == nil {
			e.firms = append(e.firms, id)
		}
		return "new firm " + id, err
	case 1: // a curated firm's description and segments, its sites kept
		c := ds.Enterprises[i%len(ds.Enterprises)]
		c.Description = fmt.Sprintf("edited by edit %d", i)
		c.SegmentIDs = append([]string{seg(i)}, c.SegmentIDs...)
		c.Provenance = prov
		_, err := e.db.UpsertEnterprise(ctx, c, nil, false, author)
		return "edit firm " + c.ID, err
	case 2: // a firm made earlier: its sites replaced (one removed, one added)
		if len(e.firms) == 0 {
			return e.next(ctx)
		}
		id := e.firms[i%len(e.firms)]
		_, err := e.db.UpsertEnterprise(ctx, chainmap.Enterprise{ID: id, Name: "企业" + id, NameZh: "企业" + id, ChainRole: chainmap.Supporting,
			SegmentIDs: []string{seg(i)}, Provenance: prov},
			[]chainmap.Site{{ID: id + "-hq", Kind: "HQ", RegionCode: region(i + 1)}, {ID: fmt.Sprintf("%s-rd-%d", id, i), Kind: "RD",
				RegionCode: region(i + 2)}}, true, author)
		return "replace sites of " + id, err
	case 3: // a new bottleneck with tacklers, or an edit of a curated one
		if i%20 == 3 {
			id := fmt.Sprintf("ed-bn-%d", i)
			tacklers := []chainmap.Tackler{{ID: ds.Enterprises[i%len(ds.Enterprises)].ID}, {ID: ds.Institutions[i%len(ds.Institutions)].ID}}
			_, err := e.db.UpsertBottleneck(ctx, chainmap.Bottleneck{ID: id, Name: "卡点" + id, NameZh: "卡点" + id, Kind: chainmap.Chokepoint,
				Category: "MATERIAL", Severity: 1 + i%5, SegmentIDs: []string{seg(i)}, Tacklers: tacklers, Provenance: prov}, author)
			if err == nil {
				e.bns = append(e.bns, id)
				e.status[id] = chainmap.Open
			}
			return "new bottleneck " + id, err
		}
		b := ds.Bottlenecks[i%len(ds.Bottlenecks)]
		b.Severity = 1 + (b.Severity+i)%5
		if b.Kind == chainmap.Gap && b.Severity == 5 {
			b.Severity = 4
		}
		b.Status = ""
		b.Tacklers = append(b.Tacklers, chainmap.Tackler{ID: ds.Enterprises[(i+3)%len(ds.Enterprises)].ID})
		b.Provenance = prov
		_, err := e.db.UpsertBottleneck(ctx, b, author)
		return "edit bottleneck " + b.ID, err
	case 4, 9: // a status change, in a cycle that every status allows
		ids := append([]string(nil), e.bns...)
		for _, b := range ds.Bottlenecks[:10] {
			ids = append(ids, b.ID)
		}
		id := ids[i%len(ids)]
		to := nextStatus[e.status[id]]
		_, err := e.db.SetBottleneckStatus(ctx, id, to, fmt.Sprintf("edit %d", i), author)
		if err == nil {
			e.status[id] = to
		}
		return fmt.Sprintf("status of %s to %s", id, to), err
	case 6: // a supply link, or an edit of a curated one
		if i%20 == 6 {
			c := ds.Supplies[(i/20)%len(ds.Supplies)]
			c.Since = 1990 + i%30
			c.Provenance = prov
			_, err := e.db.LinkSupplier(ctx, c, author)
			return "edit link " + c.FromID + " → " + c.ToID, err
		}
		if len(e.firms) == 0 {
			return e.next(ctx)
		}
		from := e.firms[i%len(e.firms)]
		to := ds.Enterprises[i%len(ds.Enterprises)].ID
		product := fmt.Sprintf("part %d", i)
		_, err := e.db.LinkSupplier(ctx, chainmap.Supply{FromID: from, ToID: to, Product: product, Since: 2010 + i%14,
			Provenance: prov}, author)
		if err == nil {
			e.links = append(e.links, [3]string{from, to, product})
		}
		return "link " + from + " → " + to, err
	case 7: // a supply link removed: a curated one (which leaves a tombstone), or one made earlier
		if i%40 == 7 && e.curatedGone < len(ds.Supplies) {
			c := ds.Supplies[e.curatedGone]
			e.curatedGone++
			_, err := e.db.UnlinkSupplier(ctx, c.FromID, c.ToID, c.Product, author)
			return "unlink curated " + c.FromID + " → " + c.ToID, err
		}
		if len(e.links) == 0 {
			return e.next(ctx)
		}
		l := e.links[0]
		e.links = e.links[1:]
		_, err := e.db.UnlinkSupplier(ctx, l[0], l[1], l[2], author)
		return "unlink " + l[0] + " → " + l[1], err
	default: // a tech transfer from Beijing to Tianjin–Hebei
		from, to := e.bjSites[i%len(e.bjSites)], e.thSites[i%len(e.thSites)]
		id := fmt.Sprintf("ed-tt-%d", i)
		_, err := e.db.RecordTechTransfer(ctx, chainmap.TechTransfer{ID: id, FromID: from, ToID: to, Year: 2015 + i%9,
			Contracts: i % 7, ValueCny: float64(i) * 1000, Description: "edit " + id, Provenance: prov}, author)
		return "transfer " + id, err
	}
}

// run makes n changes, failing the test on any error.
func (e *editor) run(t testing.TB, n int) {
	t.Helper()
	ctx := context.Background()
	for k := 0; k < n; k++ {
		what, err := e.next(ctx)
		if err != nil {
			t.Fatalf("edit %d (%s): %v", e.n-1, what, err)
		}
	}
}
