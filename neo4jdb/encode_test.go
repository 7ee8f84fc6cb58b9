package neo4jdb

import (
	"reflect"
	"testing"

	"github.com/chainmap/chainmap"
)

// Each stored kind's encoder and decoder agree: a record with every field set, encoded, stored (zero values
// dropped, numbers and lists as the driver returns them) and decoded, comes back field for field. A new field
// that the encoder does not write, or the decoder does not read, fails here until it is encoded or listed
// below with the reason it is not a property. No database.

// notProperties are the fields that are not properties of the record's own node or relationship, by why.
var notProperties = map[string]string{
	"Related":                "what a read brings alongside",
	"SourcesAsOf":            "worked out by reads from the sources cited",
	"ChainMap.SegmentIDs":    "HAS_SEGMENT, filled by reads",
	"ChainMap.Progress":      "worked out by reads from bottleneck histories",
	"Segment.Feeds":          "FEEDS",
	"Segment.FedBy":          "FEEDS, filled by reads",
	"Segment.BottleneckIDs":  "CONSTRAINS, filled by reads",
	"Enterprise.SegmentIDs":  "ACTIVE_IN",
	"Enterprise.BranchOf":    "BRANCH_OF",
	"Enterprise.SiteIDs":     "OPERATES, filled by reads",
	"Enterprise.TackledIDs":  "TACKLES, filled by reads",
	"Site.ParkID":            "IN_PARK",
	"Region.ParentCode":      "PART_OF",
	"Region.ChildCodes":      "PART_OF, filled by reads",
	"Institution.SegmentIDs": "ACTIVE_IN",
	"Bottleneck.SegmentIDs":  "CONSTRAINS",
	"Bottleneck.Tacklers":    "TACKLES relationships (tacklerProps)",
	"Tackler.ID":             "the TACKLES relationship's start",
	"Supply.FromID":          "the SUPPLIES relationship's start",
	"Supply.ToID":            "the SUPPLIES relationship's end",
	"TechTransfer.FromID":    "the TRANSFERS_TECH_TO relationship's start",
	"TechTransfer.ToID":      "the TRANSFERS_TECH_TO relationship's end",
	"Indicator.Values":       "IndicatorValue nodes (indicatorValueProps)",
	"OfficialList.IssuerID":  "ISSUED_BY",
}

func TestRoundTrip(t *testing.T) {
	used := map[string]bool{}
	t.Run("Source", func(t *testing.T) { roundTrip(t, used, sourceProps, sourceFrom) })
	t.Run("Region", func(t *testing.T) { roundTrip(t, used, regionProps, regionFrom) })
	t.Run("ChainMap", func(t *testing.T) { roundTrip(t, used, chainMapProps, chainMapFrom) })
	t.Run("Segment", func(t *testing.T) { roundTrip(t, used, segmentProps, segmentFrom) })
	t.Run("Enterprise", func(t *testing.T) { roundTrip(t, used, enterpriseProps, enterpriseFrom) })
	t.Run("Site", func(t *testing.T) { roundTrip(t, used, siteProps, siteFrom) })
	t.Run("Institution", func(t *testing.T) { roundTrip(t, used, institutionProps, institutionFrom) })
	t.Run("Park", func(t *testing.T) { roundTrip(t, used, parkProps, parkFrom) })
	t.Run("Bottleneck", func(t *testing.T) { roundTrip(t, used, bottleneckProps, bottleneckFrom) })
	t.Run("Tackler", func(t *testing.T) { roundTrip(t, used, tacklerProps, tacklerFrom) })
	t.Run("Supply", func(t *testing.T) { roundTrip(t, used, supplyProps, supplyFrom) })
	t.Run("TechTransfer", func(t *testing.T) { roundTrip(t, used, techTransferProps, techTransferFrom) })
	t.Run("Indicator", func(t *testing.T) { roundTrip(t, used, indicatorProps, indicatorFrom) })
	t.Run("IndicatorValue", func(t *testing.T) {
		in := chainmap.Indicator{ID: "gdp", Name: "GDP"}
		roundTrip(t, used, func(v chainmap.IndicatorValue) map[string]any { return indicatorValueProps(in, v) }, indicatorValueFrom)
	})
	t.Run("OfficialList", func(t *testing.T) { roundTrip(t, used, officialListProps, officialListFrom) })
	t.Run("ListItem", func(t *testing.T) { roundTrip(t, used, listItemProps, listItemFrom) })
	for name := range notProperties {
		if !used[name] {
			t.Errorf("notProperties lists %s, which no kind has (left over?)", name)
		}
	}
}

// roundTrip fills every field of a T, encodes, stores and decodes it, and compares field by field.
func roundTrip[T any](t *testing.T, used map[string]bool, encode func(T) map[string]any, decode func(props) T) {
	t.Helper()
	var want T
	typ := reflect.TypeOf(want)
	fill(t, typ.Name(), reflect.ValueOf(&want).Elem(), used)
	got := decode(stored(encode(want)))
	compare(t, typ.Name(), reflect.ValueOf(got), reflect.ValueOf(want))
}

// skip reports whether a field is not a property, marking the exemption used.
func skip(kind, field string, used map[string]bool) bool {
	for _, k := range []string{kind + "." + field, field} {
		if _, ok := notProperties[k]; ok {
			used[k] = true
			return true
		}
	}
	return false
}

// fill sets every field to a value of its own, so that two fields swapped by a coder would show.
func fill(t *testing.T, kind string, v reflect.Value, used map[string]bool) {
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		if skip(kind, sf.Name, used) {
			continue
		}
		switch f.Kind() {
		case reflect.String:
			f.SetString("v-" + sf.Name)
		case reflect.Int:
			f.SetInt(int64(1000 + i))
		case reflect.Float64:
			f.SetFloat(float64(i) + 0.5)
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			if f.Type().Elem().Kind() != reflect.String {
				t.Errorf("%s.%s: a %s is no property; list it in notProperties or encode it", kind, sf.Name, f.Type())
				continue
			}
			f.Set(reflect.ValueOf([]string{"a-" + sf.Name, "b-" + sf.Name}).Convert(f.Type()))
		case reflect.Struct:
			if sf.Anonymous {
				fill(t, kind, f, used) // Provenance
				continue
			}
			t.Errorf("%s.%s: a %s is no property; list it in notProperties or encode it", kind, sf.Name, f.Type())
		default:
			t.Errorf("%s.%s: the test cannot fill a %s", kind, sf.Name, f.Type())
		}
	}
}

func compare(t *testing.T, kind string, got, want reflect.Value) {
	for i := range want.NumField() {
		sf := want.Type().Field(i)
		if _, ok := notProperties[kind+"."+sf.Name]; ok {
			continue
		}
		if _, ok := notProperties[sf.Name]; ok {
			continue
		}
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			compare(t, kind, got.Field(i), want.Field(i))
			continue
		}
		if g, w := got.Field(i).Interface(), want.Field(i).Interface(); !reflect.DeepEqual(g, w) {
			t.Errorf("%s.%s: encoded and decoded %#v, want %#v", kind, sf.Name, g, w)
		}
	}
}

// stored is what a read gets back for properties written as the loader writes them: zero values dropped,
// integers as int64, lists as []any.
func stored(m map[string]any) props {
	out := props{}
	for k, v := range clean(m) {
		switch x := v.(type) {
		case int:
			v = int64(x)
		case []string:
			l := make([]any, len(x))
			for i, s := range x {
				l[i] = s
			}
			v = l
		}
		out[k] = v
	}
	return out
}
