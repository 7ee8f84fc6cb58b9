package neo4jdb_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap"
	"github.com/chainmap/chainmap/neo4jdb"
	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
	"github.com/chainmap/chainmap/schema"
)

func TestOpenWrongPassword(t *testing.T) {
	cfg := neo4jtest.Config()
	cfg.Password = "not-the-password"
	_, err := neo4jdb.Open(context.Background(), cfg)
	if err == nil {
		t.Fatal("Open with a wrong password succeeded")
	}
	msg := err.Error()
	for _, want := range []string{cfg.URI, "credentials", `"neo4j"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	if strings.Contains(msg, cfg.Password) {
		t.Errorf("error %q leaks the password", msg)
	}
}

func TestOpenUnreachable(t *testing.T) {
	cfg := neo4jtest.Config()
	cfg.URI = "bolt://127.0.0.1:1" // nothing listens there
	cfg.ConnectTimeout = 2 * time.Second
	start := time.Now()
	_, err := neo4jdb.Open(context.Background(), cfg)
	if !errors.Is(err, chainmap.ErrUnavailable) {
		t.Fatalf("Open(unreachable) = %v, want ErrUnavailable", err)
	}
	if !strings.Contains(err.Error(), cfg.URI) {
		t.Errorf("error %q does not name the URI", err)
	}
	if took := time.Since(start); took < 2*time.Second || took > 15*time.Second {
		t.Errorf("Open retried for %s, want about the 2s connect timeout", took)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	first, err := db.Migrate(ctx, schema.Cypher)
	if err != nil {
		t.Fatal(err)
	}
	second, err := db.Migrate(ctx, schema.Cypher)
	if err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if first != second || first < 20 {
		t.Errorf("Migrate ran %d then %d statements, want the same number (20 or more) each time", first, second)
	}
}

func TestChainMapsFromSeeds(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustLoadSeeds(t, db)
	maps, err := db.ChainMaps(context.Background(), &chainmap.Selection{Kind: chainmap.KindChainMap,
		Fields: []chainmap.SelectedField{{Key: "id", Name: "id"}, {Key: "nameZh", Name: "nameZh"}, {Key: "confidence", Name: "confidence"},
			{Key: "cites", Name: "sources", Sel: &chainmap.Selection{Kind: chainmap.KindSource, Fields: []chainmap.SelectedField{{Key: "id", Name: "id"}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range maps {
		got = append(got, m.ID+"="+m.NameZh)
	}
	want := []string{"biomedicine=生物医药", "cyber-iiot=网络安全和工业互联网", "hydrogen=氢能",
		"machine-tools=高端工业母机", "nev-icv=新能源和智能网联汽车", "robots=机器人"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ChainMaps() = %v, want %v", got, want)
	}
	for _, m := range maps {
		sources, _ := m.Related["cites"].([]chainmap.Source)
		if m.Confidence != chainmap.Reported || len(sources) == 0 {
			t.Errorf("chain map %s has confidence %q and sources %v; want REPORTED with sources", m.ID, m.Confidence, sources)
		}
	}
}

func TestPing(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	if err := db.Ping(context.Background()); err != nil {
		t.Fatalf("Ping on a live server: %v", err)
	}
}
