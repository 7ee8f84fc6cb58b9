package chainmap_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
)

func TestWithDefaults(t *testing.T) {
	type settings struct {
		N     int
		Big   int64
		Wait  time.Duration
		Ratio float64
		Small uint8
	}
	def := settings{N: 16, Big: 1 << 20, Wait: 2 * time.Second, Ratio: 0.5, Small: 3}
	for _, tc := range []struct {
		name    string
		in, out settings
	}{
		{"zero takes every default", settings{}, def},
		{"negative takes the default", settings{N: -1, Big: -5, Wait: -time.Second, Ratio: -1}, def},
		{"set fields stay", settings{N: 1, Wait: time.Millisecond, Small: 9},
			settings{N: 1, Big: 1 << 20, Wait: time.Millisecond, Ratio: 0.5, Small: 9}},
		{"every field set", settings{2, 3, 4, 5, 6}, settings{2, 3, 4, 5, 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := chainmap.WithDefaults(tc.in, def); got != tc.out {
				t.Errorf("WithDefaults(%+v) = %+v, want %+v", tc.in, got, tc.out)
			}
		})
	}
	if got := chainmap.WithDefaults(chainmap.FlagRate{}, chainmap.DefaultFlagRate); got != chainmap.DefaultFlagRate {
		t.Errorf("WithDefaults(FlagRate{}) = %+v, want DefaultFlagRate %+v", got, chainmap.DefaultFlagRate)
	}
}

// A table that leaves a field at 0 (a field added without its default), or a field that is no number, panics
// with the field's name.
func TestWithDefaultsRefusesIncompleteTables(t *testing.T) {
	type settings struct {
		N, M int
	}
	type named struct {
		N    int
		Name string
	}
	for _, tc := range []struct {
		name string
		call func()
		want string
	}{
		{"a field without a default", func() { chainmap.WithDefaults(settings{N: 1, M: 1}, settings{N: 1}) }, "settings.M has no default"},
		{"a field that is no number", func() { chainmap.WithDefaults(named{}, named{N: 1, Name: "x"}) }, "named.Name is a string"},
		{"no struct", func() { chainmap.WithDefaults(3, 4) }, "is not a struct"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r, _ := recover().(string); !strings.Contains(r, tc.want) {
					t.Errorf("panic %q, want one that says %q", r, tc.want)
				}
			}()
			tc.call()
		})
	}
}
