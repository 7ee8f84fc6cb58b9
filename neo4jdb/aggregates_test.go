package neo4jdb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/schema"
	"github.com/chainmap/chainmap/synth"
)

// computedAggregates counts from the graph, as the reads did before the counts were maintained, every region
// count the maintained aggregates hold (by their keys) and every firm's exposure.
func computedAggregates(t *testing.T) (regions map[string]int64, exposure map[string]int64) {
	t.Helper()
	chains := []any{"*"}
	for _, r := range neo4jtest.Query(t, `MATCH (c:ChainMap) RETURN c.id AS id`, nil) {
		chains = append(chains, r["id"])
	}
	regions = map[string]int64{}
	rows := neo4jtest.Query(t, `
MATCH (r:Region) UNWIND $chains AS c
RETURN r.code AS region, c AS chain,
  COUNT { MATCH (r)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(:Site)<-[:OPERATES]-(e:Enterprise)
    WHERE c = '*' OR EXISTS { (e)-[:ACTIVE_IN]->(:Segment {chainMapId: c}) } RETURN DISTINCT e } AS firms,
  COLLECT { MATCH (r)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(s:Site)
    WHERE c = '*' OR EXISTS { (s)<-[:OPERATES]-(:Enterprise)-[:ACTIVE_IN]->(:Segment {chainMapId: c}) }
    RETURN s.kind } AS kinds`, map[string]any{"chains": chains})
	for _, r := range rows {
		prefix := r["region"].(string) + "|" + r["chain"].(string)
		if n := r["firms"].(int64); n > 0 {
			regions["e|"+prefix] = n
		}
		kinds := r["kinds"].([]any)
		if len(kinds) > 0 {
			regions["n|"+prefix] = int64(len(kinds))
		}
		for _, k := range kinds {
			regions["k|"+prefix+"|"+fmt.Sprint(k)]++
		}
	}
	for _, r := range neo4jtest.Query(t, `
MATCH (r:Region)<-[:PART_OF*0..3]-(:Region)<-[:LOCATED_IN]-(:Site)<-[:OPERATES]-(e:Enterprise)-[:ACTIVE_IN]->(g:Segment)
RETURN r.code AS region, g.id AS segment, count(DISTINCT e) AS n`, nil) {
		regions["g|"+r["region"].(string)+"|"+r["segment"].(string)] = r["n"].(int64)
	}
	exposure = map[string]int64{}
	for _, r := range neo4jtest.Query(t, `
MATCH (e:Enterprise)
RETURN e.id AS id, COUNT { MATCH (e)-[:ACTIVE_IN]->(:Segment)<-[:CONSTRAINS]-(b:Bottleneck)
  WHERE b.status <> 'RESOLVED' RETURN DISTINCT b } AS n`, nil) {
		exposure[r["id"].(string)] = r["n"].(int64)
	}
	// Each segment's members: the firm, its name, its rank by chain role and the regions of its sites.
	for _, r := range neo4jtest.Query(t, `
MATCH (e:Enterprise)-[:ACTIVE_IN]->(g:Segment)
WITH DISTINCT e, g
RETURN 'm|' + g.id + '|' + e.id + '|' + e.name + '|'
  + CASE e.chainRole WHEN 'CHAIN_MASTER' THEN '0' WHEN 'LEAD' THEN '1' WHEN 'SUPPORTING' THEN '2' ELSE '3' END + '|'
  + reduce(l = '', c IN COLLECT { MATCH (e)-[:OPERATES]->(x:Site) RETURN DISTINCT x.regionCode AS c ORDER BY c } | l + c + ',') AS key`, nil) {
		regions[r["key"].(string)] = 1
	}
	for _, r := range neo4jtest.Query(t, `
MATCH (e:Enterprise)
RETURN 'r|' + e.id + '|' + reduce(l = '', c IN COLLECT { MATCH (e)-[:OPERATES]->(x:Site) RETURN DISTINCT x.regionCode AS c ORDER BY c } | l + c + ',') AS key`, nil) {
		regions[r["key"].(string)] = 1
	}
	for _, r := range neo4jtest.Query(t, `
MATCH (e:Enterprise)
WITH e, COLLECT { MATCH (e)-[:OPERATES]->(s:Site) RETURN s.regionCode ORDER BY s.id }[0] AS place WHERE place IS NOT NULL
RETURN 'p|' + e.id + '|' + place AS key`, nil) {
		regions[r["key"].(string)] = 1
	}
	// The firms of each segment with an R&D or HQ site in Beijing, and with a production site in Tianjin or Hebei.
	for _, r := range neo4jtest.Query(t, `
MATCH (g:Segment)
RETURN g.id AS segment,
  COUNT { MATCH (g)<-[:ACTIVE_IN]-(e:Enterprise) WHERE EXISTS { (e)-[:OPERATES]->(x:Site)-[:LOCATED_IN]->(:Region {province: '110000'})
    WHERE x.kind IN ['RD', 'HQ'] } } AS rd,
  COUNT { MATCH (g)<-[:ACTIVE_IN]-(e:Enterprise) WHERE EXISTS { (e)-[:OPERATES]->(x:Site)-[:LOCATED_IN]->(r:Region)
    WHERE x.kind IN ['MANUFACTURING', 'ASSEMBLY', 'PILOT'] AND r.province IN ['120000', '130000'] } } AS mfg`, nil) {
		if n := r["rd"].(int64); n > 0 {
			regions["r|"+r["segment"].(string)] = n
		}
		if n := r["mfg"].(int64); n > 0 {
			regions["m|"+r["segment"].(string)] = n
		}
	}
	// The derived R&D→production links (an enterprise's R&D or HQ site in Beijing and its production site in
	// Tianjin or Hebei, no stated transfer between them), by the regions of each end and the firm's chain maps.
	for _, r := range neo4jtest.Query(t, derivedLinks+`
UNWIND [['o', a.regionCode], ['i', b.regionCode]] AS end
MATCH (:Region {code: end[1]})-[:PART_OF*0..3]->(r:Region)
UNWIND ['*'] + COLLECT { MATCH (e)-[:ACTIVE_IN]->(g:Segment) WHERE g.chainMapId IS NOT NULL RETURN DISTINCT g.chainMapId } AS c
RETURN end[0] + '|' + r.code + '|' + c AS key, count(*) AS n`, nil) {
		regions[r["key"].(string)] = r["n"].(int64)
	}
	// Each derived link as its DerivedLink holds it (its firm, its ends and their regions, the firm's chain maps),
	// and each firm's count of them.
	for _, r := range neo4jtest.Query(t, derivedLinks+`
RETURN 'd|' + e.id + '|' + a.id + '|' + b.id + '|' + coalesce(a.regionCode, '') + '|' + coalesce(b.regionCode, '') + '|'
  + reduce(l = '', c IN COLLECT { MATCH (e)-[:ACTIVE_IN]->(g:Segment) WHERE g.chainMapId IS NOT NULL
    RETURN DISTINCT g.chainMapId AS c ORDER BY c } | l + c + ',') AS key, count(*) AS n`, nil) {
		regions[r["key"].(string)] = r["n"].(int64)
	}
	for _, r := range neo4jtest.Query(t, `
MATCH (e:Enterprise)
RETURN 'dn|' + e.id AS key, COUNT { `+derivedLinks+` } AS n`, nil) {
		regions[r["key"].(string)] = r["n"].(int64)
	}
	// Each firm's supplies by segment (SegmentSupply): for each segment a supplier of it is active in, the regions
	// of those suppliers' sites ('' for a site without one, or a supplier without sites), the first of them, and
	// the regions of the firm's own sites.
	for _, r := range neo4jtest.Query(t, `
MATCH (s:Enterprise)-[:SUPPLIES]->(c:Enterprise)
MATCH (s)-[:ACTIVE_IN]->(g:Segment)
WITH c, g, collect(DISTINCT s) AS sups
WITH c, g, COLLECT { UNWIND sups AS s
    WITH s, COLLECT { MATCH (s)-[:OPERATES]->(x:Site) RETURN DISTINCT coalesce(x.regionCode, '') AS r } AS rs
    UNWIND CASE WHEN rs = [] THEN [''] ELSE rs END AS r
    RETURN DISTINCT r ORDER BY r } AS fp,
  COLLECT { MATCH (c)-[:OPERATES]->(x:Site) WHERE x.regionCode IS NOT NULL RETURN DISTINCT x.regionCode AS r ORDER BY r } AS own
RETURN 'u|' + c.id + '|' + g.id + '|' + fp[0] + '|' + reduce(l = '', r IN fp | l + r + ',') + '|'
  + reduce(l = '', r IN own | l + r + ',') AS key`, nil) {
		regions[r["key"].(string)] = 1
	}
	// The first firms of each segment in each region its members' sites are in, by rank (SegmentRegion), and the
	// first region of each firm's sites ('' for a site without one or for no sites: its FirmAggregate's anchor).
	for _, r := range neo4jtest.Query(t, `
MATCH (e:Enterprise)-[:ACTIVE_IN]->(g:Segment)
WITH DISTINCT e, g
MATCH (e)-[:OPERATES]->(x:Site) WHERE x.regionCode IS NOT NULL
WITH DISTINCT g, x.regionCode AS region, e
ORDER BY CASE e.chainRole WHEN 'CHAIN_MASTER' THEN 0 WHEN 'LEAD' THEN 1 WHEN 'SUPPORTING' THEN 2 ELSE 3 END, e.name, e.id
WITH g, region, collect(e.id)[0..$first] AS first
RETURN 'sr|' + g.id + '|' + region + '|' + reduce(l = '', id IN first | l + id + ',') AS key`,
		map[string]any{"first": chainmap.MaxAlts + 1}) {
		regions[r["key"].(string)] = 1
	}
	for _, r := range neo4jtest.Query(t, `
MATCH (e:Enterprise)
RETURN 'a|' + e.id + '|' + coalesce(COLLECT { MATCH (e)-[:OPERATES]->(x:Site) RETURN coalesce(x.regionCode, '') AS r ORDER BY r }[0], '') AS key`, nil) {
		regions[r["key"].(string)] = 1
	}
	// The firms of each segment and of each chain map, wherever their sites are.
	for _, r := range neo4jtest.Query(t, `
MATCH (e:Enterprise)-[:ACTIVE_IN]->(g:Segment)
UNWIND ['s|' + g.id] + CASE WHEN g.chainMapId IS NULL THEN [] ELSE ['c|' + g.chainMapId] END AS key
RETURN key, count(DISTINCT e) AS n`, nil) {
		regions[r["key"].(string)] = r["n"].(int64)
	}
	// Each firm's supply links by the segments their supplier is active in, as 'f|firmId|segment'.
	for _, r := range neo4jtest.Query(t, `
MATCH (s:Enterprise)-[r:SUPPLIES]->(c:Enterprise)
MATCH (s)-[:ACTIVE_IN]->(g:Segment)
WITH DISTINCT r, c, g
RETURN 'f|' + c.id + '|' + g.id AS key, count(*) AS n`, nil) {
		regions[r["key"].(string)] = r["n"].(int64)
	}
	// The dated supply links, by chain map either end is in ('*': any), year and the customer's place.
	for _, r := range neo4jtest.Query(t, `
MATCH (a:Enterprise)-[r:SUPPLIES]->(c:Enterprise) WHERE r.since IS NOT NULL
WITH r, COLLECT { MATCH (c)-[:OPERATES]->(s:Site) RETURN s.regionCode ORDER BY s.id }[0] AS place,
  COLLECT { MATCH (e:Enterprise)-[:ACTIVE_IN]->(g:Segment) WHERE (e = a OR e = c) AND g.chainMapId IS NOT NULL
    RETURN DISTINCT g.chainMapId } AS chains
UNWIND ['*'] + chains AS ch
RETURN 'l|' + ch + '|' + toString(r.since) + '|' + coalesce(place, '') AS key, count(*) AS n`, nil) {
		regions[r["key"].(string)] = r["n"].(int64)
	}
	return regions, exposure
}

// maintainedAggregates reads the maintained aggregates (the segments' members among the region counts, by
// their key 'm|segment|firmId|name|tier|regions,', the firms' sites' regions, 'r|firmId|regions,', their places, 'p|firmId|regionCode', each 1, and their supply links
// by their suppliers' segments, 'f|firmId|segment'; the derived links, 'd|firmId|from|to|fromRegion|toRegion|chains,',
// and each firm's count of them, 'dn|firmId'; its supplies by segment, 'u|firmId|segment|anchor|footprint,|regions,';
// its span's anchor, 'a|firmId|anchor'; each segment's first firms in a region, 'sr|segment|region|firmId,').
func maintainedAggregates(t *testing.T) (regions map[string]int64, exposure map[string]int64) {
	t.Helper()
	regions = map[string]int64{}
	for _, r := range neo4jtest.Query(t, `MATCH (a:RegionAggregate) RETURN a.key AS key, a.n AS n`, nil) {
		regions[r["key"].(string)] = r["n"].(int64)
	}
	for _, r := range neo4jtest.Query(t, `MATCH (m:SegmentMember)
RETURN 'm|' + m.segment + '|' + m.firmId + '|' + m.name + '|' + toString(m.tier) + '|' + reduce(l = '', c IN m.regions | l + c + ',') AS key`, nil) {
		regions[r["key"].(string)]++
	}
	for _, r := range neo4jtest.Query(t, `MATCH (x:FirmAggregate) RETURN 'r|' + x.firmId + '|' + reduce(l = '', c IN x.regions | l + c + ',') AS key`, nil) {
		regions[r["key"].(string)]++
	}
	for _, r := range neo4jtest.Query(t, `MATCH (x:FirmAggregate) WHERE x.place IS NOT NULL RETURN 'p|' + x.firmId + '|' + x.place AS key`, nil) {
		regions[r["key"].(string)]++
	}
	for _, r := range neo4jtest.Query(t, `MATCH (l:DerivedLink)
RETURN 'd|' + l.firmId + '|' + l.from + '|' + l.to + '|' + coalesce(l.fromRegion, '') + '|' + coalesce(l.toRegion, '') + '|'
  + reduce(s = '', c IN l.chains | s + c + ',') AS key`, nil) {
		regions[r["key"].(string)]++
	}
	for _, r := range neo4jtest.Query(t, `MATCH (u:SegmentSupply)
RETURN 'u|' + u.firmId + '|' + u.segment + '|' + u.anchor + '|' + reduce(l = '', r IN u.footprint | l + r + ',') + '|'
  + reduce(l = '', r IN u.regions | l + r + ',') AS key`, nil) {
		regions[r["key"].(string)]++
	}
	for _, r := range neo4jtest.Query(t, `MATCH (x:FirmAggregate) RETURN 'a|' + x.firmId + '|' + coalesce(x.anchor, '<none>') AS key`, nil) {
		regions[r["key"].(string)]++
	}
	for _, r := range neo4jtest.Query(t, `MATCH (t:SegmentRegion)
RETURN 'sr|' + t.segment + '|' + t.region + '|' + reduce(l = '', id IN t.first | l + id + ',') AS key`, nil) {
		regions[r["key"].(string)]++
	}
	for _, r := range neo4jtest.Query(t, `MATCH (x:FirmAggregate) RETURN 'dn|' + x.firmId AS key, x.rdLinks AS n`, nil) {
		n, _ := r["n"].(int64)
		regions[r["key"].(string)] = n
	}
	for _, r := range neo4jtest.Query(t, `MATCH (x:FirmAggregate) UNWIND x.fedBy AS f
RETURN 'f|' + x.firmId + '|' + split(f, '|')[0] AS key, toInteger(split(f, '|')[1]) AS n`, nil) {
		regions[r["key"].(string)] += r["n"].(int64)
	}
	exposure = map[string]int64{}
	for _, r := range neo4jtest.Query(t, `MATCH (x:FirmAggregate) RETURN x.firmId AS id, x.openBottlenecks AS n`, nil) {
		n, _ := r["n"].(int64)
		exposure[r["id"].(string)] = n
	}
	return regions, exposure
}

// derivedLinks binds e, a and b to each derived R&D→production link, as the test reads the definition: an
// enterprise's R&D or HQ site in Beijing and its production site in Tianjin or Hebei, no stated transfer between.
const derivedLinks = `
MATCH (e:Enterprise)-[:OPERATES]->(a:Site)-[:LOCATED_IN]->(:Region {province: '110000'})
WHERE a.kind IN ['RD', 'HQ']
MATCH (e)-[:OPERATES]->(b:Site)-[:LOCATED_IN]->(rb:Region)
WHERE b.kind IN ['MANUFACTURING', 'ASSEMBLY', 'PILOT'] AND rb.province IN ['120000', '130000']
  AND NOT EXISTS { (a)-[:TRANSFERS_TECH_TO]->(b) }`

// checkAggregates fails the test where a maintained aggregate differs from the count the graph gives.
func checkAggregates(t *testing.T, when string) {
	t.Helper()
	wantRegions, wantExposure := computedAggregates(t)
	gotRegions, gotExposure := maintainedAggregates(t)
	if len(wantRegions) == 0 || len(wantExposure) == 0 {
		t.Fatalf("%s: nothing to compare (%d region counts, %d firms)", when, len(wantRegions), len(wantExposure))
	}
	if d := diffCounts(wantRegions, gotRegions); len(d) > 0 {
		t.Errorf("%s: region counts, maintained differ from computed (-computed +maintained):\n%v", when, d)
	}
	if d := diffCounts(wantExposure, gotExposure); len(d) > 0 {
		t.Errorf("%s: exposures, maintained differ from computed (-computed +maintained):\n%v", when, d)
	}
}

func ids(t *testing.T, cypher string) []string {
	t.Helper()
	var out []string
	for _, r := range neo4jtest.Query(t, cypher, nil) {
		out = append(out, r["id"].(string))
	}
	sort.Strings(out)
	return out
}

// The maintained aggregates equal the computed ones after random writes of every kind: enterprises made,
// changed (segments, sites added or replaced) and deleted, bottlenecks made, moved, set to every status and
// deleted, supply links, technology transfers between a firm's own sites, sheet imports, loads (again, with -prune), a synthetic run
// and its deletion, the replay of archived changes onto a restored dump; and Reindex rebuilds the same values.
func TestAggregatesFollowRandomWrites(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	ds := seedDataset(t)
	if _, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	checkAggregates(t, "after the load")

	syn, err := synth.Generate(synth.Config{Seed: 7, Enterprises: 300, Supplies: 900}, ds)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.WriteSynthetic(ctx, syn, 0, nil); err != nil {
		t.Fatal(err)
	}
	checkAggregates(t, "after gen")

	// A supplier moved to another chain map: its customer's dated link now counts there (the customer's
	// aggregate holds the link, so the supplier's write must refresh it).
	two := neo4jtest.Query(t, `MATCH (g:Segment) WHERE g.chainMapId IS NOT NULL
RETURN g.chainMapId AS chain, min(g.id) AS id ORDER BY chain LIMIT 2`, nil)
	prov := chainmap.Provenance{Confidence: chainmap.Illustrative, SourceIDs: []string{ds.Sources[0].ID}}
	for i, seg := range []any{two[0]["id"], two[1]["id"], two[0]["id"]} {
		for _, id := range []string{"agg-supplier", "agg-customer"} {
			if id == "agg-customer" && i > 0 {
				continue
			}
			e := chainmap.Enterprise{ID: id, Name: id, SegmentIDs: []string{seg.(string)}, Provenance: prov}
			if _, err := db.UpsertEnterprise(ctx, e, []chainmap.Site{{ID: id + "-s", Kind: chainmap.HQ, RegionCode: "120116"}}, true, "ed"); err != nil {
				t.Fatal(err)
			}
		}
		if i == 0 {
			if _, err := db.LinkSupplier(ctx, chainmap.Supply{FromID: "agg-supplier", ToID: "agg-customer", Product: "cell", Since: 2024,
				Provenance: prov}, "ed"); err != nil {
				t.Fatal(err)
			}
		}
		checkAggregates(t, fmt.Sprintf("after the supplier moved to segment %v", seg))
	}
	// The supplier's site moved to another region: where its customer's suppliers are follows (SegmentSupply),
	// so the supplier's write must refresh its customer.
	if _, err := db.UpsertEnterprise(ctx, chainmap.Enterprise{ID: "agg-supplier", Name: "agg-supplier", SegmentIDs: []string{two[0]["id"].(string)},
		Provenance: prov}, []chainmap.Site{{ID: "agg-supplier-s", Kind: chainmap.Manufacturing, RegionCode: "130900"}}, true, "ed"); err != nil {
		t.Fatal(err)
	}
	checkAggregates(t, "after the supplier's site moved")
	// The link's own changes, each refreshing its customer's aggregate: dated again, undated, removed.
	for _, step := range []struct {
		name  string
		since int
		drop  bool
	}{{"dated again", 2025, false}, {"undated", 0, false}, {"removed", 0, true}} {
		var err error
		if step.drop {
			_, err = db.UnlinkSupplier(ctx, "agg-supplier", "agg-customer", "cell", "ed")
		} else {
			_, err = db.LinkSupplier(ctx, chainmap.Supply{FromID: "agg-supplier", ToID: "agg-customer", Product: "cell",
				Since: step.since, Provenance: prov}, "ed")
		}
		if err != nil {
			t.Fatalf("link %s: %v", step.name, err)
		}
		checkAggregates(t, "after the link was "+step.name)
	}
	for _, id := range []string{"agg-supplier", "agg-customer"} {
		if _, err := db.DeleteEnterprise(ctx, id, "ed"); err != nil {
			t.Fatal(err)
		}
	}
	checkAggregates(t, "after the supplier and its customer were deleted")

	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("CHAINMAP_RANDOM_SEED"); s != "" { // to run a failure again
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("CHAINMAP_RANDOM_SEED: %v", err)
		}
	}
	t.Logf("random writes with seed %d (CHAINMAP_RANDOM_SEED runs them again)", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	regions := ids(t, `MATCH (r:Region) RETURN r.code AS id`)
	segments := ids(t, `MATCH (g:Segment) RETURN g.id AS id`)
	curated := ids(t, `MATCH (e:Enterprise) WHERE NOT coalesce(e.synthetic, false) RETURN e.id AS id`)
	bottlenecks := ids(t, `MATCH (b:Bottleneck) RETURN b.id AS id`)
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	some := func(xs []string, most int) []string {
		n := 1 + r.IntN(most)
		out := map[string]bool{}
		for range n {
			out[pick(xs)] = true
		}
		var l []string
		for x := range out {
			l = append(l, x)
		}
		sort.Strings(l)
		return l
	}
	kinds := []chainmap.SiteKind{chainmap.HQ, chainmap.RD, chainmap.Manufacturing, chainmap.Assembly}
	var made []string // enterprises the test made and has not deleted
	var madeBottlenecks []string
	var links []chainmap.Supply // supply links the test made
	siteN := 0
	sitesFor := func(id string) []chainmap.Site {
		var out []chainmap.Site
		for range 1 + r.IntN(3) {
			siteN++
			out = append(out, chainmap.Site{ID: fmt.Sprintf("%s-s%d", id, siteN), Kind: kinds[r.IntN(len(kinds))], RegionCode: pick(regions)})
		}
		return out
	}
	role := func() chainmap.ChainRole { // a chain role, or none
		return append([]chainmap.ChainRole{""}, chainmap.ChainRoles...)[r.IntN(len(chainmap.ChainRoles)+1)]
	}
	statuses := []chainmap.BottleneckStatus{chainmap.Open, chainmap.InProgress, chainmap.Resolved}
	ops := map[string]int{}
	write := 0
	randomWrites := func(n int) {
		for range n {
			i := write
			write++
			var op string
			var err error
			switch k := r.IntN(12); {
			case k < 2 || len(made) == 0: // a new enterprise
				op = "new enterprise"
				id := fmt.Sprintf("agg-firm-%d", i)
				e := chainmap.Enterprise{ID: id, Name: "Firm " + id, NameZh: "企业" + id, SegmentIDs: some(segments, 3), ChainRole: role(), Provenance: prov}
				_, err = db.UpsertEnterprise(ctx, e, sitesFor(id), true, "ed")
				made = append(made, id)
			case k == 2: // an enterprise changed: segments, and sites added or replaced
				op = "change enterprise"
				id := pick(append(made, curated...))
				e := chainmap.Enterprise{ID: id, Name: "Firm " + id, NameZh: "企业" + id, SegmentIDs: some(segments, 3), ChainRole: role(), Provenance: prov}
				_, err = db.UpsertEnterprise(ctx, e, sitesFor(id), r.IntN(2) == 0, "ed")
			case k == 3: // an enterprise deleted
				op = "delete enterprise"
				j := r.IntN(len(made))
				_, err = db.DeleteEnterprise(ctx, made[j], "ed")
				made = append(made[:j], made[j+1:]...)
			case k == 4: // a bottleneck made or moved
				op = "upsert bottleneck"
				id := fmt.Sprintf("agg-bn-%d", r.IntN(6))
				b := chainmap.Bottleneck{ID: id, Name: "Gap " + id, Kind: chainmap.Gap, Category: chainmap.Material, Severity: 3,
					SegmentIDs: some(segments, 2), Provenance: prov}
				_, err = db.UpsertBottleneck(ctx, b, "ed")
				if err == nil {
					madeBottlenecks = append(madeBottlenecks, id)
				}
			case k == 5: // a status
				op = "set status"
				_, err = db.SetBottleneckStatus(ctx, pick(append(bottlenecks, madeBottlenecks...)), statuses[r.IntN(3)], "", "ed")
				if c := chainmap.ErrorCode(err); c == chainmap.CodeConflict || c == chainmap.CodeNotFound { // a transition the rules do not allow, a bottleneck deleted
					err = nil
				}
			case k == 6 && len(madeBottlenecks) > 0: // a bottleneck deleted
				op = "delete bottleneck"
				_, err = db.DeleteBottleneck(ctx, pick(madeBottlenecks), "ed")
				if chainmap.ErrorCode(err) == chainmap.CodeNotFound { // deleted before
					err = nil
				}
			case k >= 10 && r.IntN(3) == 0 && len(links) > 0: // a supply link removed: its customer's dated links
				op = "unlink supplier"
				j := r.IntN(len(links))
				_, err = db.UnlinkSupplier(ctx, links[j].FromID, links[j].ToID, links[j].Product, "ed")
				if chainmap.ErrorCode(err) == chainmap.CodeNotFound { // gone with an end
					err = nil
				}
				links = append(links[:j], links[j+1:]...)
			case k >= 10: // a supply link, dated or not: its customer's dated links
				op = "supply link"
				from, to := pick(append(made, curated...)), pick(append(made, curated...))
				if from != to {
					l := chainmap.Supply{FromID: from, ToID: to, Product: fmt.Sprintf("part %d", r.IntN(3)), Provenance: prov}
					if r.IntN(3) > 0 {
						l.Since = 2019 + r.IntN(7)
					}
					_, err = db.LinkSupplier(ctx, l, "ed")
					links = append(links, l)
				}
			case k == 7: // a new firm's Beijing R&D site transfers to its Hebei plant: the stated transfer stands for their derived link
				op = "own transfer"
				id := fmt.Sprintf("agg-firm-%d", i)
				e := chainmap.Enterprise{ID: id, Name: "Firm " + id, NameZh: "企业" + id, SegmentIDs: some(segments, 2), Provenance: prov}
				sites := []chainmap.Site{{ID: id + "-rd", Kind: chainmap.RD, RegionCode: "110108"},
					{ID: id + "-plant", Kind: chainmap.Manufacturing, RegionCode: "130600"}}
				if _, err = db.UpsertEnterprise(ctx, e, sites, true, "ed"); err == nil {
					made = append(made, id)
					_, err = db.RecordTechTransfer(ctx, chainmap.TechTransfer{ID: id + "-tt", FromID: id + "-rd", ToID: id + "-plant",
						Year: 2024, Provenance: prov}, "ed")
				}
			case k == 8: // a sheet import that moves a curated firm to other segments
				op = "import"
				id := pick(curated)
				_, err = db.ApplyImport(ctx, chainmap.SheetImport{File: "agg.xlsx", Rows: []chainmap.ImportRow{{
					Sheet: chainmap.SheetEnterprises, Row: 2, ID: id, Values: map[string]any{"segmentIds": some(segments, 2)}}}}, "", "ed")
			default: // the seeds loaded again
				op = "load"
				_, err = db.WriteDataset(ctx, ds, chainmap.LoadOptions{})
			}
			if err != nil {
				t.Fatalf("write %d (%s): %v", i, op, err)
			}
			ops[op]++
		}
	}
	randomWrites(40)
	t.Logf("writes: %v", ops)
	checkAggregates(t, "after random writes")

	// A dump, more writes, the dump restored and the writes' archived changes replayed onto it.
	g, err := db.ReadGraph(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	randomWrites(25)
	checkAggregates(t, "after more random writes")
	entries, err := db.ArchiveChanges(ctx, g.ChangeLogSeq, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.RestoreGraph(ctx, g, nil); err != nil {
		t.Fatal(err)
	}
	checkAggregates(t, "after restoring the dump")
	for _, e := range entries {
		if _, _, err := db.ReplayChange(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("writes: %v; replayed %d changes", ops, len(entries))
	checkAggregates(t, "after replaying the changes")

	// A load with -prune removes the curated records the seeds no longer hold (-force: API records may refer
	// to them).
	pruned := *ds
	gone := pruned.Enterprises[len(pruned.Enterprises)-1].ID
	pruned.Enterprises = pruned.Enterprises[:len(pruned.Enterprises)-1]
	pruned.Sites = nil
	for _, s := range ds.Sites {
		if s.EnterpriseID != gone {
			pruned.Sites = append(pruned.Sites, s)
		}
	}
	if _, err := db.WriteDataset(ctx, &pruned, chainmap.LoadOptions{Prune: true, Force: true}); err != nil {
		t.Fatalf("load -prune: %v", err)
	}
	checkAggregates(t, "after load -prune")

	regionsBefore, exposureBefore := maintainedAggregates(t)
	if _, _, err := db.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	regionsAfter, exposureAfter := maintainedAggregates(t)
	if d := diffCounts(regionsBefore, regionsAfter); len(d) > 0 {
		t.Errorf("Reindex changed the maintained region counts (-maintained +rebuilt):\n%v", d)
	}
	if d := diffCounts(exposureBefore, exposureAfter); len(d) > 0 {
		t.Errorf("Reindex changed the maintained exposures (-maintained +rebuilt):\n%v", d)
	}

	if _, err := db.DeleteSynthetic(ctx, nil); err != nil {
		t.Fatal(err)
	}
	checkAggregates(t, "after gen -delete")
}

// diffCounts lists the keys whose counts differ, as "key: want → got", sorted; at most 20.
func diffCounts(want, got map[string]int64) []string {
	var out []string
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			out = append(out, fmt.Sprintf("%s: %d → %d", k, w, got[k]))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			out = append(out, fmt.Sprintf("%s: none → %d", k, g))
		}
	}
	sort.Strings(out)
	if len(out) > 20 {
		out = append(out[:20], fmt.Sprintf("… and %d more", len(out)-20))
	}
	return out
}

// A database whose aggregates carry their firm's id as id (written before firmId): Migrate renames it and
// replaces the constraint and indexes on it, the graph is what it was before, node for node, and a load then
// maintains the aggregates. Where the firmId code wrote a firm's aggregates before the migration ran,
// Migrate leaves the older ones, AggregatesStale says so, and Reindex replaces them.
func TestAggregatesMigratedFromID(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	ds := neo4jtest.MustLoadSeeds(t, db)
	want := neo4jtest.Snapshot(t)
	neo4jtest.OldAggregates(t)
	if n := neo4jtest.Query(t, `MATCH (x:FirmAggregate) WHERE x.id IS NOT NULL RETURN count(x) AS n`, nil)[0]["n"]; n != int64(len(ds.Enterprises)) {
		t.Fatalf("%v aggregates with an id after OldAggregates, want %d", n, len(ds.Enterprises))
	}
	if _, err := db.Migrate(ctx, schema.Cypher); err != nil {
		t.Fatal(err)
	}
	if d := diffLines(want, neo4jtest.Snapshot(t)); len(d) > 0 {
		t.Errorf("the graph after Migrate differs from the one before the aggregates were aged (-before +after):\n%s", strings.Join(d, "\n"))
	}
	checkAggregateShape(t, db)
	firm := ds.Enterprises[0].ID
	if rows := neo4jtest.Query(t, `MATCH (n {id: $id}) RETURN labels(n) AS labels`, map[string]any{"id": firm}); len(rows) != 1 {
		t.Errorf("nodes with id %q: %v, want the enterprise alone", firm, rows)
	}
	if _, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	checkAggregates(t, "after a load on the migrated aggregates")

	// A firm written by the firmId code on the aged database, before it was migrated: its aggregates twice.
	neo4jtest.OldAggregates(t)
	e := ds.Enterprises[0]
	e.SegmentIDs = []string{ds.Segments[len(ds.Segments)-1].ID}
	if _, err := db.UpsertEnterprise(ctx, e, nil, false, "ed"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx, schema.Cypher); err != nil {
		t.Fatalf("Migrate with a firm's aggregates of both shapes: %v", err)
	}
	if stale, err := db.AggregatesStale(ctx); err != nil || !stale {
		t.Fatalf("AggregatesStale with a firm's aggregates of both shapes = %v, %v; want true", stale, err)
	}
	if _, _, err := db.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	checkAggregates(t, "after Reindex of aggregates of both shapes")
	checkAggregateShape(t, db)
}

// Aggregates written before they carried their sites' regions or before DerivedLink, and segment members before their firm's tier
// and regions: AggregatesStale says so (so `chainmap migrate` rebuilds them), and Reindex writes them.
func TestAggregatesStaleWithoutTiersOrRegions(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	neo4jtest.MustLoadSeeds(t, db)
	checkAggregateShape(t, db)
	for _, aged := range []string{
		`MATCH (m:SegmentMember) WITH m LIMIT 1 REMOVE m.tier RETURN count(m) AS n`,
		`MATCH (m:SegmentMember) WITH m LIMIT 1 REMOVE m.regions RETURN count(m) AS n`,
		`MATCH (x:FirmAggregate) WITH x LIMIT 1 REMOVE x.regions RETURN count(x) AS n`,
		// written before the span's anchor and SegmentRegion
		`MATCH (x:FirmAggregate) WITH x LIMIT 1 REMOVE x.anchor RETURN count(x) AS n`,
		`MATCH (t:SegmentRegion) DETACH DELETE t RETURN sign(count(*)) AS n`,
		// written before SegmentSupply: a firm without its span, its supplies gone
		`MATCH (x:FirmAggregate) WHERE EXISTS { (:SegmentSupply {firmId: x.firmId}) } WITH x LIMIT 1 REMOVE x.span
WITH x CALL (x) { MATCH (u:SegmentSupply {firmId: x.firmId}) DELETE u } RETURN count(x) AS n`,
		// written before DerivedLink: a firm with derived links, none of them written
		`MATCH (x:FirmAggregate) WHERE x.rdLinks > 0 WITH x LIMIT 1 REMOVE x.rdLinks
WITH x CALL (x) { MATCH (l:DerivedLink {firmId: x.firmId}) DELETE l } RETURN count(x) AS n`,
	} {
		if n := neo4jtest.Query(t, aged, nil)[0]["n"]; n != int64(1) {
			t.Fatalf("%s: %v aged, want 1", aged, n)
		}
		if stale, err := db.AggregatesStale(ctx); err != nil || !stale {
			t.Fatalf("AggregatesStale after %s = %v, %v; want true", aged, stale, err)
		}
		if _, _, err := db.Reindex(ctx); err != nil {
			t.Fatal(err)
		}
		checkAggregates(t, "after Reindex of "+aged)
		checkAggregateShape(t, db)
	}
}

// checkAggregateShape fails the test where an aggregate has an id or no firmId, where the schema lacks the
// constraint and indexes on firmId or still has those on id, or where AggregatesStale says they need a Reindex.
func checkAggregateShape(t *testing.T, db *neo4jdb.DB) {
	t.Helper()
	rows := neo4jtest.Query(t, `MATCH (x:FirmAggregate|SegmentMember) WHERE x.id IS NOT NULL OR x.firmId IS NULL
RETURN count(x) AS n`, nil)
	if rows[0]["n"] != int64(0) {
		t.Errorf("%v aggregates with an id or no firmId", rows[0]["n"])
	}
	names := map[string]bool{}
	for _, r := range neo4jtest.Query(t, `SHOW INDEXES YIELD name RETURN name`, nil) {
		names[r["name"].(string)] = true
	}
	for _, r := range neo4jtest.Query(t, `SHOW CONSTRAINTS YIELD name RETURN name`, nil) {
		names[r["name"].(string)] = true
	}
	for _, n := range []string{"firm_aggregate_firm_id", "segment_member_by_name", "segment_member_by_tier", "segment_member_firm_id",
		"derived_link_firm_id", "derived_link_from_region", "derived_link_to_region", "segment_supply_firm_id", "segment_supply_anchor",
		"segment_region_key", "firm_aggregate_anchor"} {
		if !names[n] {
			t.Errorf("schema lacks %s", n)
		}
	}
	for _, n := range []string{"firm_aggregate_id", "segment_member_order", "segment_member_id"} {
		if names[n] {
			t.Errorf("schema still has %s, on the aggregates' old id", n)
		}
	}
	if stale, err := db.AggregatesStale(context.Background()); err != nil || stale {
		t.Errorf("AggregatesStale = %v, %v; want false", stale, err)
	}
}

// Reindex deletes the aggregates of no enterprise: a firm's deleted with Cypher of one's own, and one of the
// old shape (an id, no firmId) that no migration renamed.
func TestReindexDeletesAggregatesOfNoFirm(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	neo4jtest.MustLoadSeeds(t, db)
	neo4jtest.Query(t, `CREATE (:FirmAggregate {firmId: 'gone', openBottlenecks: 2}), (:SegmentMember {segment: 'g', name: 'Gone', firmId: 'gone'}),
  (:FirmAggregate {id: 'old'}), (:SegmentMember {segment: 'g', name: 'Old', id: 'old'})`, nil)
	if _, _, err := db.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	rows := neo4jtest.Query(t, `MATCH (x:FirmAggregate|SegmentMember) WHERE x.firmId IN ['gone'] OR x.id IS NOT NULL
RETURN count(x) AS n`, nil)
	if rows[0]["n"] != int64(0) {
		t.Errorf("%v aggregates of no enterprise after Reindex, want 0", rows[0]["n"])
	}
	checkAggregates(t, "after Reindex")
}

// diffLines lists the lines only in want ("-") and only in got ("+"), at most 20.
func diffLines(want, got []string) []string {
	var out []string
	in := func(xs []string) map[string]int {
		m := map[string]int{}
		for _, x := range xs {
			m[x]++
		}
		return m
	}
	w, g := in(want), in(got)
	for x, n := range w {
		if g[x] < n {
			out = append(out, "-"+x)
		}
	}
	for x, n := range g {
		if w[x] < n {
			out = append(out, "+"+x)
		}
	}
	sort.Strings(out)
	if len(out) > 20 {
		out = append(out[:20], fmt.Sprintf("… and %d more", len(out)-20))
	}
	return out
}

// segmentMembers gives each firm's SegmentMember nodes by element id: a firm whose aggregate a write refreshed
// has new ones (refreshFirms deletes and makes them again).
func segmentMembers(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range neo4jtest.Query(t, `MATCH (m:SegmentMember) WITH m ORDER BY elementId(m)
RETURN m.firmId AS firm, collect(elementId(m)) AS ids`, nil) {
		out[r["firm"].(string)] = fmt.Sprint(r["ids"])
	}
	return out
}

// A load refreshes the aggregates of the firms its rows changed and only those: none for seeds loaded again
// unchanged, the operator of a site that moved or changed kind, the customer of a new supply link. Each
// change, and those that reach further (a bottleneck resolved or constraining another segment, a firm moved
// to another segment, a segment moved to another chain map), leaves the maintained aggregates equal to the
// computed ones.
func TestLoadMaintainsTheFirmsItTouched(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	ds := seedDataset(t)
	if _, err := db.WriteDataset(ctx, ds, chainmap.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	checkAggregates(t, "after the first load")

	// Firms that supply no one: moving their sites changes no other firm's aggregate.
	suppliers := map[string]bool{}
	for _, s := range ds.Supplies {
		suppliers[s.FromID] = true
	}
	var quiet []int // indexes into ds.Sites of the first sites of firms that supply no one
	seen := map[string]bool{}
	for i, s := range ds.Sites {
		if !suppliers[s.EnterpriseID] && !seen[s.EnterpriseID] {
			seen[s.EnterpriseID] = true
			quiet = append(quiet, i)
		}
	}
	if len(quiet) < 2 || len(ds.Supplies) == 0 || len(ds.Bottlenecks) == 0 {
		t.Fatalf("the seeds have %d firms that supply no one, %d supply links, %d bottlenecks", len(quiet), len(ds.Supplies), len(ds.Bottlenecks))
	}
	moved, kinded := ds.Sites[quiet[0]], ds.Sites[quiet[1]]
	region := "130600"
	if moved.RegionCode == region {
		region = "120116"
	}
	kind := chainmap.RD
	if kinded.Kind == kind {
		kind = chainmap.Manufacturing
	}
	from, to := ds.Enterprises[0].ID, ds.Enterprises[len(ds.Enterprises)-1].ID

	steps := []struct {
		name   string
		change func(d *chainmap.Dataset)
		want   []string // the firms refreshed; nil: not checked
	}{
		{"the seeds unchanged", func(*chainmap.Dataset) {}, []string{}},
		{"a site moved to " + region, func(d *chainmap.Dataset) {
			d.Sites = slices.Clone(d.Sites)
			d.Sites[quiet[0]].RegionCode = region
		}, []string{moved.EnterpriseID}},
		{"a site's kind changed", func(d *chainmap.Dataset) {
			d.Sites = slices.Clone(d.Sites)
			d.Sites[quiet[1]].Kind = kind
		}, []string{kinded.EnterpriseID}},
		{"a new dated supply link", func(d *chainmap.Dataset) {
			d.Supplies = append(slices.Clone(d.Supplies), chainmap.Supply{FromID: from, ToID: to, Product: "touch test part",
				Since: 2025, Provenance: ds.Supplies[0].Provenance})
		}, []string{to}},
		{"a bottleneck resolved", func(d *chainmap.Dataset) {
			d.Bottlenecks = slices.Clone(d.Bottlenecks)
			d.Bottlenecks[0].Status = chainmap.Resolved
		}, nil},
		{"a bottleneck constraining one more segment", func(d *chainmap.Dataset) {
			d.Bottlenecks = slices.Clone(d.Bottlenecks)
			b := &d.Bottlenecks[len(d.Bottlenecks)-1]
			b.Status = chainmap.Open
			b.SegmentIDs = append(slices.Clone(b.SegmentIDs), d.Segments[0].ID)
		}, nil},
		{"a supplier moved to another segment", func(d *chainmap.Dataset) {
			d.Enterprises = slices.Clone(d.Enterprises)
			d.Enterprises[0].SegmentIDs = append(slices.Clone(d.Enterprises[0].SegmentIDs), d.Segments[len(d.Segments)-1].ID)
		}, nil},
		{"a segment moved to another chain map", func(d *chainmap.Dataset) {
			d.Segments = slices.Clone(d.Segments)
			d.Segments[0].ChainMapID = d.ChainMaps[len(d.ChainMaps)-1].ID
		}, nil},
	}
	cur := *ds
	for _, step := range steps {
		step.change(&cur)
		before := segmentMembers(t)
		if _, err := db.WriteDataset(ctx, &cur, chainmap.LoadOptions{}); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		checkAggregates(t, "after a load with "+step.name)
		if step.want == nil {
			continue
		}
		after := segmentMembers(t)
		refreshed := []string{}
		for firm, ids := range after {
			if before[firm] != ids {
				refreshed = append(refreshed, firm)
			}
		}
		sort.Strings(refreshed)
		if !slices.Equal(refreshed, step.want) {
			t.Errorf("a load with %s refreshed the aggregates of %v, want %v", step.name, refreshed, step.want)
		}
	}
}
