package export_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/export"
)

// The planner's exports take the arguments of their GraphQL questions, within the same bounds.
func TestPlannerParams(t *testing.T) {
	q := func(s string) url.Values {
		v, err := url.ParseQuery(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	g, err := export.RegionGapQuery(q("regionCode=130600&chainMapId=hydrogen"))
	if err != nil || g != (chainmap.RegionGapQuery{RegionCode: "130600", ChainMapID: "hydrogen", ThinAtMost: 1, First: chainmap.MaxCandidates}) {
		t.Errorf("region gaps defaults: %+v, %v", g, err)
	}
	s, err := export.ScenarioQuery(q("regionCodes=130900,131000&siteIds=catl-etown-plant&alternatives=5"))
	if err != nil || strings.Join(s.RegionCodes, " ") != "130900 131000" || len(s.SiteIDs) != 1 || s.Alternatives != 5 || s.First != chainmap.MaxRows {
		t.Errorf("scenario: %+v, %v", s, err)
	}
	now := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	c, err := export.ChangesQuery(q("chainMapId=robots&from=2023-11"), now)
	if err != nil || c.From.String() != "2023-11" || c.To.String() != "2026-03-04" || c.First != chainmap.MaxEvents {
		t.Errorf("changes: %+v, %v", c, err)
	}
	for _, tc := range []struct {
		parse   func() error
		mention string
	}{
		{func() error { _, err := export.RegionGapQuery(q("chainMapId=hydrogen")); return err }, "required"},
		{func() error {
			_, err := export.RegionGapQuery(q("regionCode=130600&chainMapId=hydrogen&first=21"))
			return err
		}, "first"},
		{func() error {
			_, err := export.RegionGapQuery(q("regionCode=130600&chainMapId=hydrogen&colour=red"))
			return err
		}, "unknown parameter colour"},
		{func() error { _, err := export.ScenarioQuery(q("chainMapId=hydrogen")); return err }, "at least one"},
		{func() error { _, err := export.ScenarioQuery(q("enterpriseIds=a,B")); return err }, `"B" is not an id`},
		{func() error {
			_, err := export.ScenarioQuery(q("siteIds=" + strings.Repeat("s,", 100) + "s"))
			return err
		}, "at most 100"},
		{func() error { _, err := export.ChangesQuery(q("to=2023-02-30"), now); return err }, "no such day"},
		{func() error { _, err := export.ChangesQuery(q("from=2026-05"), now); return err }, "is after to"},
	} {
		err := tc.parse()
		if !errors.Is(err, export.ErrBadFilter) || !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("error %v, want a bad filter mentioning %q", err, tc.mention)
		}
	}
}
