package graph

import (
	"fmt"

	"github.com/chainmap/chainmap"
)

// Editors' inputs are checked here before the store sees them, by the rules the loader applies to seed files
// (chainmap's rules.go), each error naming its input path. References (segments, regions, sources, …) are
// checked by the store, in the same transaction as the write.

func checkNames(zh, en *string) error {
	return firstErr(checkText("input.nameZh", zh), checkText("input.nameEn", en), chainmap.CheckNames("input.", deref(zh), deref(en)))
}

func (in EnterpriseInput) domain() (chainmap.Enterprise, []chainmap.Site, error) {
	err := firstErr(chainmap.CheckID("input.id", in.ID), checkNames(in.NameZh, in.NameEn),
		checkText("input.description", in.Description), chainmap.CheckSources("input.sourceIds", in.SourceIds))
	if err != nil {
		return chainmap.Enterprise{}, nil, err
	}
	e := chainmap.Enterprise{ID: in.ID, NameZh: deref(in.NameZh), NameEn: deref(in.NameEn), ChainRole: deref(in.ChainRole),
		SegmentIDs: in.SegmentIds, Description: deref(in.Description),
		Provenance: chainmap.Provenance{Confidence: in.Confidence, SourceIDs: in.SourceIds}}
	e.Name = chainmap.Name(e.NameZh, e.NameEn)
	var sites []chainmap.Site
	seen := map[string]bool{}
	for i, s := range in.Sites {
		path := fmt.Sprintf("input.sites[%d]", i)
		if err := firstErr(chainmap.CheckID(path+".id", s.ID), checkRegion(path+".regionCode", &s.RegionCode),
			checkYear(path+".since", s.Since), checkText(path+".name", s.Name), checkText(path+".capacity", s.Capacity)); err != nil {
			return e, nil, err
		}
		if seen[s.ID] {
			return e, nil, chainmap.Invalid(path+".id", "duplicate site id %q", s.ID)
		}
		seen[s.ID] = true
		sites = append(sites, chainmap.Site{ID: s.ID, EnterpriseID: in.ID, Name: deref(s.Name), Kind: s.Kind,
			RegionCode: s.RegionCode, ParkID: deref(s.ParkID), Since: deref(s.Since), Capacity: deref(s.Capacity)})
	}
	return e, sites, nil
}

func (in BottleneckInput) domain() (chainmap.Bottleneck, error) {
	err := firstErr(chainmap.CheckID("input.id", in.ID), checkNames(in.NameZh, in.NameEn),
		checkText("input.description", in.Description), chainmap.CheckSources("input.sourceIds", in.SourceIds),
		chainmap.CheckSeverity("input.severity", in.Severity))
	if err != nil {
		return chainmap.Bottleneck{}, err
	}
	if len(in.SegmentIds) == 0 {
		return chainmap.Bottleneck{}, chainmap.Invalid("input.segmentIds", "at least one segment is required")
	}
	b := chainmap.Bottleneck{ID: in.ID, NameZh: deref(in.NameZh), NameEn: deref(in.NameEn), Kind: in.Kind,
		Category: in.Category, Severity: in.Severity, Status: deref(in.Status), SegmentIDs: in.SegmentIds,
		Description: deref(in.Description), Provenance: chainmap.Provenance{Confidence: in.Confidence, SourceIDs: in.SourceIds}}
	b.Name = chainmap.Name(b.NameZh, b.NameEn)
	for _, t := range in.TacklerIds {
		b.Tacklers = append(b.Tacklers, chainmap.Tackler{ID: t})
	}
	return b, nil
}

func (in SupplyInput) domain() (chainmap.Supply, error) {
	if in.SupplierID == in.CustomerID {
		return chainmap.Supply{}, chainmap.Invalid("input.customerId", "an enterprise cannot supply itself")
	}
	if err := firstErr(chainmap.CheckProduct("input.product", in.Product), checkText("input.product", &in.Product), checkYear("input.since", in.Since),
		chainmap.CheckSources("input.sourceIds", in.SourceIds)); err != nil {
		return chainmap.Supply{}, err
	}
	return chainmap.Supply{FromID: in.SupplierID, ToID: in.CustomerID, Product: in.Product, Since: deref(in.Since),
		Provenance: chainmap.Provenance{Confidence: in.Confidence, SourceIDs: in.SourceIds}}, nil
}

func (in TechTransferInput) domain() (chainmap.TechTransfer, error) {
	err := firstErr(chainmap.CheckID("input.id", in.ID), checkYear("input.year", in.Year),
		chainmap.CheckSources("input.sourceIds", in.SourceIds), checkText("input.description", in.Description))
	if err != nil {
		return chainmap.TechTransfer{}, err
	}
	if deref(in.Contracts) < 0 {
		return chainmap.TechTransfer{}, chainmap.Invalid("input.contracts", "must not be negative")
	}
	if deref(in.ValueCny) < 0 {
		return chainmap.TechTransfer{}, chainmap.Invalid("input.valueCny", "must not be negative")
	}
	return chainmap.TechTransfer{ID: in.ID, FromID: in.FromID, ToID: in.ToID, Year: deref(in.Year),
		Contracts: deref(in.Contracts), ValueCny: deref(in.ValueCny), Description: deref(in.Description),
		Provenance: chainmap.Provenance{Confidence: in.Confidence, SourceIDs: in.SourceIds}}, nil
}
