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
	deleted          map[string]bool                      // records deleted, and the sites that went with them
	siteOwner        map[string]string                    // curated site → its enterprise
}

// pick returns the id of the k-th record of ids, or of the next one not deleted.
func (e *editor) pick(ids []string, k int) string {
	for j := 0; j < len(ids); j++ {
		if id := ids[(k+j)%len(ids)]; !e.deleted[id] && !e.deleted[e.siteOwner[id]] {
			return id
		}
	}
	return ids[0]
}

func ids[T any](list []T, id func(T) string) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = id(x)
	}
	return out
}

func newEditor(t testing.TB, db *neo4jdb.DB) *editor {
	t.Helper()
	ds, err := loader.ParseFS(seeds.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	e := &editor{db: db, ds: ds, status: map[string]chainmap.BottleneckStatus{}, deleted: map[string]bool{},
		siteOwner: map[string]string{}}
	for _, s := range ds.Sites {
		e.siteOwner[s.ID] = s.EnterpriseID
	}
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
		c := e.enterprise(i)
		c.Description = fmt.Sprintf("edited by edit %d", i)
		c.SegmentIDs = append([]string{seg(i)}, c.SegmentIDs...)
		c.Provenance = prov
		_, err := e.db.UpsertEnterprise(ctx, c, nil, false, author)
		return "edit firm " + c.ID, err
	case 2: // a firm made earlier: its sites replaced (one removed, one added); now and then one deleted, or a
		// curated firm (a tombstone, and the changes that cascade from it)
		if i%50 == 12 {
			c := ds.Enterprises[len(ds.Enterprises)-1-(i/50)%(len(ds.Enterprises)/4)]
			if !e.deleted[c.ID] {
				e.dropLinks(c.ID)
				_, err := e.db.DeleteEnterprise(ctx, c.ID, author)
				e.deleted[c.ID] = true
				return "delete curated firm " + c.ID, err
			}
		}
		if i%50 == 32 && len(e.firms) > 2 {
			id := e.firms[0]
			e.firms = e.firms[1:]
			e.dropLinks(id)
			_, err := e.db.DeleteEnterprise(ctx, id, author)
			e.deleted[id] = true
			return "delete firm " + id, err
		}
		if len(e.firms) == 0 {
			return e.next(ctx)
		}
		id := e.firms[i%len(e.firms)]
		_, err := e.db.UpsertEnterprise(ctx, chainmap.Enterprise{ID: id, Name: "企业" + id, NameZh: "企业" + id, ChainRole: chainmap.Supporting,
			SegmentIDs: []string{seg(i)}, Provenance: prov},
			[]chainmap.Site{{ID: id + "-hq", Kind: "HQ", RegionCode: region(i + 1)}, {ID: fmt.Sprintf("%s-rd-%d", id, i), Kind: "RD",
				RegionCode: region(i + 2)}}, true, author)
		return "replace sites of " + id, err
	case 3: // a new bottleneck with tacklers, an edit of a curated one, now and then a deletion
		if i%50 == 43 {
			b := ds.Bottlenecks[len(ds.Bottlenecks)-1-(i/50)%(len(ds.Bottlenecks)/4)]
			if len(e.bns) > 1 && i%100 == 93 {
				b = chainmap.Bottleneck{ID: e.bns[0]}
				e.bns = e.bns[1:]
			}
			if !e.deleted[b.ID] {
				_, err := e.db.DeleteBottleneck(ctx, b.ID, author)
				e.deleted[b.ID] = true
				return "delete bottleneck " + b.ID, err
			}
		}
		if i%20 == 3 {
			id := fmt.Sprintf("ed-bn-%d", i)
			tacklers := []chainmap.Tackler{{ID: e.enterprise(i).ID}, {ID: ds.Institutions[i%len(ds.Institutions)].ID}}
			_, err := e.db.UpsertBottleneck(ctx, chainmap.Bottleneck{ID: id, Name: "卡点" + id, NameZh: "卡点" + id, Kind: chainmap.Chokepoint,
				Category: "MATERIAL", Severity: 1 + i%5, SegmentIDs: []string{seg(i)}, Tacklers: tacklers, Provenance: prov}, author)
			if err == nil {
				e.bns = append(e.bns, id)
				e.status[id] = chainmap.Open
			}
			return "new bottleneck " + id, err
		}
		b := e.bottleneck(i)
		b.Severity = 1 + (b.Severity+i)%5
		if b.Kind == chainmap.Gap && b.Severity == 5 {
			b.Severity = 4
		}
		b.Status = ""
		var tacklers []chainmap.Tackler
		for _, t := range b.Tacklers {
			if !e.deleted[t.ID] {
				tacklers = append(tacklers, t)
			}
		}
		b.Tacklers = append(tacklers, chainmap.Tackler{ID: e.enterprise(i + 3).ID})
		b.Provenance = prov
		_, err := e.db.UpsertBottleneck(ctx, b, author)
		return "edit bottleneck " + b.ID, err
	case 4, 9: // a status change, in a cycle that every status allows
		cands := append([]string(nil), e.bns...)
		for _, b := range ds.Bottlenecks[:10] {
			cands = append(cands, b.ID)
		}
		id := cands[i%len(cands)]
		to := nextStatus[e.status[id]]
		_, err := e.db.SetBottleneckStatus(ctx, id, to, fmt.Sprintf("edit %d", i), author)
		if err == nil {
			e.status[id] = to
		}
		return fmt.Sprintf("status of %s to %s", id, to), err
	case 6: // a supply link, or an edit of a curated one
		if c := ds.Supplies[(i/20)%len(ds.Supplies)]; i%20 == 6 && !e.deleted[c.FromID] && !e.deleted[c.ToID] {
			c.Since = 1990 + i%30
			c.Provenance = prov
			_, err := e.db.LinkSupplier(ctx, c, author)
			return "edit link " + c.FromID + " → " + c.ToID, err
		}
		if len(e.firms) == 0 {
			return e.next(ctx)
		}
		from := e.firms[i%len(e.firms)]
		to := e.enterprise(i).ID
		product := fmt.Sprintf("part %d", i)
		_, err := e.db.LinkSupplier(ctx, chainmap.Supply{FromID: from, ToID: to, Product: product, Since: 2010 + i%14,
			Provenance: prov}, author)
		if err == nil {
			e.links = append(e.links, [3]string{from, to, product})
		}
		return "link " + from + " → " + to, err
	case 7: // a supply link removed: a curated one (which leaves a tombstone), or one made earlier
		for e.curatedGone < len(ds.Supplies) && (e.deleted[ds.Supplies[e.curatedGone].FromID] || e.deleted[ds.Supplies[e.curatedGone].ToID]) {
			e.curatedGone++
		}
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
		from, to := e.pick(e.bjSites, i), e.pick(e.thSites, i)
		id := fmt.Sprintf("ed-tt-%d", i)
		_, err := e.db.RecordTechTransfer(ctx, chainmap.TechTransfer{ID: id, FromID: from, ToID: to, Year: 2015 + i%9,
			Contracts: i % 7, ValueCny: float64(i) * 1000, Description: "edit " + id, Provenance: prov}, author)
		return "transfer " + id, err
	}
}

// run makes n changes, failing the test on any error.
// dropLinks forgets the supply links to and from an enterprise about to be deleted (they go with it).
func (e *editor) dropLinks(id string) {
	var kept [][3]string
	for _, l := range e.links {
		if l[0] != id && l[1] != id {
			kept = append(kept, l)
		}
	}
	e.links = kept
}

// enterprise returns the k-th curated enterprise, or the next one not deleted.
func (e *editor) enterprise(k int) chainmap.Enterprise {
	id := e.pick(ids(e.ds.Enterprises, func(x chainmap.Enterprise) string { return x.ID }), k)
	for _, x := range e.ds.Enterprises {
		if x.ID == id {
			return x
		}
	}
	return e.ds.Enterprises[0]
}

// bottleneck returns the k-th curated bottleneck, or the next one not deleted.
func (e *editor) bottleneck(k int) chainmap.Bottleneck {
	id := e.pick(ids(e.ds.Bottlenecks, func(x chainmap.Bottleneck) string { return x.ID }), k)
	for _, x := range e.ds.Bottlenecks {
		if x.ID == id {
			return x
		}
	}
	return e.ds.Bottlenecks[0]
}

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
