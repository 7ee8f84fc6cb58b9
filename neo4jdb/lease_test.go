package neo4jdb_test

import (
	"context"
	"testing"
	"time"

	"github.com/chainmap/chainmap/neo4jdb/neo4jtest"
)

func TestLease(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	step := func(what string, got bool, err error, want bool) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got != want {
			t.Fatalf("%s = %v, want %v", what, got, want)
		}
	}
	ok, err := db.AcquireLease(ctx, "work", "a", time.Minute, 0)
	step("a acquires a free lease", ok, err, true)
	ok, err = db.AcquireLease(ctx, "work", "b", time.Minute, 0)
	step("b acquires a's lease", ok, err, false)
	ok, err = db.AcquireLease(ctx, "other", "b", time.Minute, 0)
	step("b acquires another lease", ok, err, true)
	ok, err = db.RenewLease(ctx, "work", "a", time.Minute)
	step("a renews", ok, err, true)
	ok, err = db.RenewLease(ctx, "work", "b", time.Minute)
	step("b renews a's lease", ok, err, false)

	// Released with the work done: not due again within minGap.
	if err := db.ReleaseLease(ctx, "work", "a", true); err != nil {
		t.Fatal(err)
	}
	ok, err = db.AcquireLease(ctx, "work", "b", time.Minute, time.Hour)
	step("b acquires within an hour of the work", ok, err, false)
	ok, err = db.AcquireLease(ctx, "work", "b", time.Minute, 0)
	step("b acquires with no gap required", ok, err, true)

	// A holder that stops renewing loses the lease when it expires.
	ok, err = db.AcquireLease(ctx, "short", "a", 300*time.Millisecond, 0)
	step("a acquires for 300 ms", ok, err, true)
	time.Sleep(600 * time.Millisecond)
	ok, err = db.AcquireLease(ctx, "short", "b", time.Minute, 0)
	step("b acquires the expired lease", ok, err, true)
	ok, err = db.RenewLease(ctx, "short", "a", time.Minute)
	step("a renews the lease it lost", ok, err, false)
}
