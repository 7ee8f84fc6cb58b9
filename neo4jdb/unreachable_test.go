package neo4jdb

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Which driver errors open the breaker: a server that cannot be reached, not a request that ran out of its own
// time. Under load, a request admitted just before its deadline dialled a new connection that its deadline cut
// short; the driver reported "context deadline exceeded after 1 attempts, last error: ConnectivityError: … dial
// tcp …: i/o timeout", the breaker opened, and every request failed at once for a while (1,162 UNAVAILABLE in
// a minute of 20 clients asking for scenarios). No database.
func TestUnreachableIsTheServerNotTheDeadline(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("i/o timeout")}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", &neo4j.ConnectivityError{Inner: refused}, true},
		{"retries used up on connectivity errors", &neo4j.TransactionExecutionLimit{Cause: "timeout (exceeded max retry time: 3s)",
			Errors: []error{&neo4j.ConnectivityError{Inner: refused}}}, true},
		{"the request's deadline while waiting for an answer", &neo4j.ConnectivityError{Inner: context.DeadlineExceeded}, false},
		{"the request's deadline cutting a dial short", &neo4j.TransactionExecutionLimit{Cause: context.DeadlineExceeded.Error(),
			Errors: []error{&neo4j.ConnectivityError{Inner: dial}}}, false},
		{"the request cancelled during a dial", &neo4j.TransactionExecutionLimit{Cause: context.Canceled.Error(),
			Errors: []error{&neo4j.ConnectivityError{Inner: dial}}}, false},
		{"a deadline", context.DeadlineExceeded, false},
	} {
		if got := isUnreachable(c.err); got != c.want {
			t.Errorf("%s (%v): unreachable = %v, want %v", c.name, c.err, got, c.want)
		}
	}
}
