package neo4jdb

import (
	"context"
	"fmt"

	"github.com/chainmap/chainmap"
)

// Reads by key. Each projection returns a record with the ids of its neighbours, so that resolvers can fetch
// those by key in turn: one round trip per level of a GraphQL query, whatever the number of items.

const chainMapProjection = `c {.id, .name, .nameZh, .nameEn, .aliases, .leadRegion, .mapPublished, .description,
  .confidence, .sourceIds, .evidence,
  segmentIds: COLLECT { MATCH (c)-[:HAS_SEGMENT]->(s) RETURN s.id ORDER BY s.order, s.id }}`

const segmentProjection = `s {.id, .chainMapId, .name, .nameZh, .nameEn, .stage, .order, .description, .confidence,
  .sourceIds, .evidence,
  feeds: COLLECT { MATCH (s)-[:FEEDS]->(d) RETURN d.id ORDER BY d.chainMapId, d.order },
  fedBy: COLLECT { MATCH (u)-[:FEEDS]->(s) RETURN u.id ORDER BY u.chainMapId, u.order },
  bottleneckIds: COLLECT { MATCH (b:Bottleneck)-[:CONSTRAINS]->(s) RETURN b.id ORDER BY b.severity DESC, b.id }}`

const enterpriseProjection = `e {.id, .name, .nameZh, .nameEn, .chainRole, .description, .synthetic, .confidence,
  .sourceIds, .evidence,
  segmentIds: COLLECT { MATCH (e)-[:ACTIVE_IN]->(s) RETURN s.id ORDER BY s.chainMapId, s.order },
  siteIds: COLLECT { MATCH (e)-[:OPERATES]->(x) RETURN x.id ORDER BY x.id },
  branchOf: COLLECT { MATCH (e)-[:BRANCH_OF]->(p) RETURN p.id }[0],
  tackledIds: COLLECT { MATCH (e)-[:TACKLES]->(b) RETURN b.id ORDER BY b.severity DESC, b.id }}`

const siteProjection = `s {.id, .name, .kind, .since, .capacity, .enterpriseId, .regionCode, .synthetic, .confidence,
  .sourceIds, .evidence, parkId: COLLECT { MATCH (s)-[:IN_PARK]->(p) RETURN p.id }[0]}`

const regionProjection = `r {.code, .name, .nameZh, .nameEn, .level, .province, .confidence, .sourceIds, .evidence,
  parent: COLLECT { MATCH (r)-[:PART_OF]->(p) RETURN p.code }[0],
  children: COLLECT { MATCH (c)-[:PART_OF]->(r) RETURN c.code ORDER BY c.code }}`

const bottleneckProjection = `b {.id, .name, .nameZh, .nameEn, .kind, .category, .severity, .status, .description,
  .confidence, .sourceIds, .evidence,
  segmentIds: COLLECT { MATCH (b)-[:CONSTRAINS]->(s) RETURN s.id ORDER BY s.chainMapId, s.order },
  tacklers: COLLECT { MATCH (t)-[r:TACKLES]->(b) RETURN {id: t.id, since: r.since, status: r.status} ORDER BY t.id }}`

const institutionProjection = `i {.id, .name, .nameZh, .nameEn, .kind, .regionCode, .confidence, .sourceIds, .evidence,
  segmentIds: COLLECT { MATCH (i)-[:ACTIVE_IN]->(s) RETURN s.id ORDER BY s.chainMapId, s.order }}`

const parkProjection = `p {.id, .name, .nameZh, .nameEn, .regionCode, .renamedFrom, .description, .confidence,
  .sourceIds, .evidence}`

const sourceProjection = `s {.id, .title, .publisher, .url, .date, .reliability, .language, .note}`

var (
	chainMapsByID    = `UNWIND $keys AS key MATCH (c:ChainMap {id: key}) RETURN key, ` + chainMapProjection + ` AS n`
	segmentsByID     = `UNWIND $keys AS key MATCH (s:Segment {id: key}) RETURN key, ` + segmentProjection + ` AS n`
	enterprisesByID  = `UNWIND $keys AS key MATCH (e:Enterprise {id: key}) RETURN key, ` + enterpriseProjection + ` AS n`
	sitesByID        = `UNWIND $keys AS key MATCH (s:Site {id: key}) RETURN key, ` + siteProjection + ` AS n`
	regionsByCode    = `UNWIND $keys AS key MATCH (r:Region {code: key}) RETURN key, ` + regionProjection + ` AS n`
	bottlenecksByID  = `UNWIND $keys AS key MATCH (b:Bottleneck {id: key}) RETURN key, ` + bottleneckProjection + ` AS n`
	institutionsByID = `UNWIND $keys AS key MATCH (i:Institution {id: key}) RETURN key, ` + institutionProjection + ` AS n`
	parksByID        = `UNWIND $keys AS key MATCH (p:Park {id: key}) RETURN key, ` + parkProjection + ` AS n`
	sourcesByID      = `UNWIND $keys AS key MATCH (s:Source {id: key}) RETURN key, ` + sourceProjection + ` AS n`
)

// ChainMapsByID returns the chain maps with the given ids; ids with none are missing from the map.
func (db *DB) ChainMapsByID(ctx context.Context, ids []string) (map[string]chainmap.ChainMap, error) {
	return byKey(ctx, db, "ChainMapsByID", chainMapsByID, ids, chainMapFrom)
}

// SegmentsByID returns the segments with the given ids.
func (db *DB) SegmentsByID(ctx context.Context, ids []string) (map[string]chainmap.Segment, error) {
	return byKey(ctx, db, "SegmentsByID", segmentsByID, ids, segmentFrom)
}

// EnterprisesByID returns the enterprises with the given ids.
func (db *DB) EnterprisesByID(ctx context.Context, ids []string) (map[string]chainmap.Enterprise, error) {
	return byKey(ctx, db, "EnterprisesByID", enterprisesByID, ids, enterpriseFrom)
}

// SitesByID returns the sites with the given ids.
func (db *DB) SitesByID(ctx context.Context, ids []string) (map[string]chainmap.Site, error) {
	return byKey(ctx, db, "SitesByID", sitesByID, ids, siteFrom)
}

// RegionsByCode returns the regions with the given codes.
func (db *DB) RegionsByCode(ctx context.Context, codes []string) (map[string]chainmap.Region, error) {
	return byKey(ctx, db, "RegionsByCode", regionsByCode, codes, regionFrom)
}

// BottlenecksByID returns the bottlenecks with the given ids.
func (db *DB) BottlenecksByID(ctx context.Context, ids []string) (map[string]chainmap.Bottleneck, error) {
	return byKey(ctx, db, "BottlenecksByID", bottlenecksByID, ids, bottleneckFrom)
}

// InstitutionsByID returns the institutions with the given ids.
func (db *DB) InstitutionsByID(ctx context.Context, ids []string) (map[string]chainmap.Institution, error) {
	return byKey(ctx, db, "InstitutionsByID", institutionsByID, ids, institutionFrom)
}

// ParksByID returns the parks with the given ids.
func (db *DB) ParksByID(ctx context.Context, ids []string) (map[string]chainmap.Park, error) {
	return byKey(ctx, db, "ParksByID", parksByID, ids, parkFrom)
}

// SourcesByID returns the sources with the given ids.
func (db *DB) SourcesByID(ctx context.Context, ids []string) (map[string]chainmap.Source, error) {
	return byKey(ctx, db, "SourcesByID", sourcesByID, ids, sourceFrom)
}

// byKey runs a query over $keys that returns a column "key" and a map column "n", one row per key found.
func byKey[T any](ctx context.Context, db *DB, method, cypher string, keys []string, from func(props) T) (map[string]T, error) {
	res, err := db.read(ctx, method, oneRow(cypher, "key", "n"), map[string]any{"keys": keys})
	if err != nil {
		return nil, err
	}
	list := rows(res)
	out := make(map[string]T, len(list))
	for _, r := range list {
		out[fmt.Sprint(r["key"])] = from(r.sub("n"))
	}
	return out, nil
}

// listsByKey runs a query that returns a column "key" and a column "items" (a list of maps), one row per key.
func listsByKey[T any](ctx context.Context, db *DB, method, cypher string, params map[string]any, from func(props) T) (map[string][]T, error) {
	res, err := db.read(ctx, method, oneRow(cypher, "key", "items"), params)
	if err != nil {
		return nil, err
	}
	list := rows(res)
	out := make(map[string][]T, len(list))
	for _, r := range list {
		items := r.list("items")
		vals := make([]T, 0, len(items))
		for _, it := range items {
			vals = append(vals, from(it))
		}
		out[fmt.Sprint(r["key"])] = vals
	}
	return out, nil
}

func chainMapFrom(m props) chainmap.ChainMap {
	return chainmap.ChainMap{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Aliases: m.strs("aliases"), LeadRegionCode: m.str("leadRegion"), MapPublished: m.str("mapPublished"),
		Description: m.str("description"), SegmentIDs: m.strs("segmentIds"), Provenance: provenanceFrom(m),
	}
}

func segmentFrom(m props) chainmap.Segment {
	return chainmap.Segment{
		ID: m.str("id"), ChainMapID: m.str("chainMapId"), Name: m.str("name"), NameZh: m.str("nameZh"),
		NameEn: m.str("nameEn"), Stage: chainmap.Stage(m.str("stage")), Order: m.int("order"),
		Feeds: m.strs("feeds"), FedBy: m.strs("fedBy"), BottleneckIDs: m.strs("bottleneckIds"),
		Description: m.str("description"), Provenance: provenanceFrom(m),
	}
}

func enterpriseFrom(m props) chainmap.Enterprise {
	return chainmap.Enterprise{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		ChainRole: chainmap.ChainRole(m.str("chainRole")), SegmentIDs: m.strs("segmentIds"),
		BranchOf: m.str("branchOf"), SiteIDs: m.strs("siteIds"), TackledIDs: m.strs("tackledIds"),
		Description: m.str("description"), Synthetic: m.boolean("synthetic"), Provenance: provenanceFrom(m),
	}
}

func siteFrom(m props) chainmap.Site {
	s := chainmap.Site{
		ID: m.str("id"), EnterpriseID: m.str("enterpriseId"), Name: m.str("name"), Kind: chainmap.SiteKind(m.str("kind")),
		RegionCode: m.str("regionCode"), ParkID: m.str("parkId"), Since: m.int("since"), Capacity: m.str("capacity"),
		Synthetic: m.boolean("synthetic"), Provenance: provenanceFrom(m),
	}
	if s.Name == "" {
		s.Name = s.ID // synthetic sites carry no name
	}
	return s
}

func regionFrom(m props) chainmap.Region {
	return chainmap.Region{
		Code: m.str("code"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Level: chainmap.RegionLevel(m.str("level")), ParentCode: m.str("parent"), ChildCodes: m.strs("children"),
		ProvinceCode: m.str("province"), Provenance: provenanceFrom(m),
	}
}

func bottleneckFrom(m props) chainmap.Bottleneck {
	b := chainmap.Bottleneck{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Kind: chainmap.BottleneckKind(m.str("kind")), Category: chainmap.BottleneckCategory(m.str("category")),
		Severity: m.int("severity"), Status: chainmap.BottleneckStatus(m.str("status")),
		SegmentIDs: m.strs("segmentIds"), Description: m.str("description"), Provenance: provenanceFrom(m),
	}
	for _, t := range m.list("tacklers") {
		b.Tacklers = append(b.Tacklers, chainmap.Tackler{ID: t.str("id"), Since: t.int("since"),
			Status: chainmap.BottleneckStatus(t.str("status"))})
	}
	return b
}

func institutionFrom(m props) chainmap.Institution {
	return chainmap.Institution{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		Kind: chainmap.InstitutionKind(m.str("kind")), RegionCode: m.str("regionCode"), SegmentIDs: m.strs("segmentIds"),
		Provenance: provenanceFrom(m),
	}
}

func parkFrom(m props) chainmap.Park {
	return chainmap.Park{
		ID: m.str("id"), Name: m.str("name"), NameZh: m.str("nameZh"), NameEn: m.str("nameEn"),
		RegionCode: m.str("regionCode"), RenamedFrom: m.str("renamedFrom"), Description: m.str("description"),
		Provenance: provenanceFrom(m),
	}
}

func sourceFrom(m props) chainmap.Source {
	return chainmap.Source{
		ID: m.str("id"), Title: m.str("title"), Publisher: m.str("publisher"), URL: m.str("url"), Date: m.str("date"),
		Reliability: chainmap.Reliability(m.str("reliability")), Language: m.str("language"), Note: m.str("note"),
	}
}

func supplyFrom(m props) chainmap.Supply {
	return chainmap.Supply{
		FromID: m.str("from"), ToID: m.str("to"), Product: m.str("product"), Since: m.int("since"),
		Synthetic: m.boolean("synthetic"), Provenance: provenanceFrom(m),
	}
}
