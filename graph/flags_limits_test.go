package graph_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
)

// The flag limits live in the root package (flags.go); the schema's descriptions, the explorer's form, the API
// guide and the README say them again, to people. This test is what tells the copies from drifting apart.
func TestFlagLimitsAreSaidAlike(t *testing.T) {
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	thousands := func(n int) string { // 1000 → "1,000", as the descriptions write numbers
		s := fmt.Sprint(n)
		if len(s) > 3 {
			s = s[:len(s)-3] + "," + s[len(s)-3:]
		}
		return s
	}
	sdl := read("../schema/flags.graphqls")
	per := map[time.Duration]string{time.Minute: "a minute", time.Hour: "an hour"}[chainmap.DefaultFlagRate.Refill]
	for _, want := range []string{
		fmt.Sprintf("up to %s characters", thousands(chainmap.MaxFlagNote)),
		fmt.Sprintf("up to %d characters", chainmap.MaxFlagSourceURL),
		fmt.Sprintf("%d flags at once per client, then one %s", chainmap.DefaultFlagRate.Burst, per),
		fmt.Sprintf("at most %d open flags per record", chainmap.MaxOpenFlagsPerRecord),
	} {
		if per == "" || !strings.Contains(strings.Join(strings.Fields(sdl), " "), want) {
			t.Errorf("schema/flags.graphqls does not say %q", want)
		}
	}
	union := regexp.MustCompile(`union FlaggedRecord = ([A-Za-z| ]+)`).FindStringSubmatch(sdl)
	var kinds []string
	for _, k := range chainmap.FlaggableKinds {
		kinds = append(kinds, string(k))
	}
	if union == nil || strings.Join(strings.Fields(strings.ReplaceAll(union[1], "|", " ")), " ") != strings.Join(kinds, " ") {
		t.Errorf("union FlaggedRecord = %v, want the flaggable kinds %v", union, kinds)
	}
	// The API guide and the README say the same numbers, in their words.
	rate := fmt.Sprintf("%d records at once, then one %s", chainmap.DefaultFlagRate.Burst, per)
	for path, wants := range map[string][]string{
		"../docs/api.md": {fmt.Sprintf("1–%s characters", thousands(chainmap.MaxFlagNote)),
			fmt.Sprintf("up to %d", chainmap.MaxFlagSourceURL), rate, fmt.Sprintf("at most %d open flags", chainmap.MaxOpenFlagsPerRecord)},
		"../README.md": {fmt.Sprintf("1–%s characters", thousands(chainmap.MaxFlagNote)),
			fmt.Sprintf("up to %d characters", chainmap.MaxFlagSourceURL), rate, fmt.Sprintf("at most %d open flags", chainmap.MaxOpenFlagsPerRecord)},
	} {
		text := strings.Join(strings.Fields(read(path)), " ")
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s does not say %q", path, want)
			}
		}
	}
	form := read("../web/src/explore/flags.tsx")
	for name, want := range map[string]int{"MAX_NOTE": chainmap.MaxFlagNote, "MAX_URL": chainmap.MaxFlagSourceURL} {
		m := regexp.MustCompile(`const ` + name + ` = (\d+);`).FindStringSubmatch(form)
		if m == nil || m[1] != fmt.Sprint(want) {
			t.Errorf("web/src/explore/flags.tsx: %s = %v, want %d", name, m, want)
		}
	}
}
