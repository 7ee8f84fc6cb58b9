package chainmap

import (
	"errors"
	"fmt"
)

// Error codes, the values of extensions.code in GraphQL errors.
const (
	CodeNotFound        = "NOT_FOUND"
	CodeBadUserInput    = "BAD_USER_INPUT"
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
	CodeUnavailable     = "UNAVAILABLE"
	CodeConflict        = "CONFLICT"
	CodeInternal        = "INTERNAL"
	// CodeBadRequest: the HTTP request itself is not one the API takes (a body that is not a GraphQL request,
	// a bookmark that is not one).
	CodeBadRequest = "BAD_REQUEST"
	// CodeReplicaBehind: the database this replica reads from has not applied, within the bookmark budget, the
	// writes the client's bookmark names. Retry shortly (Retry-After); nothing is wrong with the request.
	CodeReplicaBehind = "REPLICA_BEHIND"
	// CodeTooManyStreams: the client (or the process) holds as many subscriptions as it may; close one first.
	CodeTooManyStreams = "TOO_MANY_STREAMS"
	// CodeTooManyRequests: the client has as many requests of this kind in flight (reads waiting on a
	// bookmark: retry when one is answered) or made recently (readers' flags, FlagRate: the message says
	// when to try again) as it may; or the server ran as many of the planner's whole-place analyses as it
	// may at once for the whole time the request could wait (ErrBusy).
	CodeTooManyRequests = "TOO_MANY_REQUESTS"
)

// Sentinel errors. Adapters wrap them with context; the GraphQL layer maps them to error codes.
var (
	ErrNotFound        = &Error{Code: CodeNotFound, Message: "not found"}
	ErrUnauthenticated = &Error{Code: CodeUnauthenticated, Message: "authentication required"}
	ErrForbidden       = &Error{Code: CodeForbidden, Message: "not allowed"}
	ErrUnavailable     = &Error{Code: CodeUnavailable, Message: "the graph database is unavailable"}
	ErrTimeout         = &Error{Code: CodeUnavailable, Message: "the query took longer than the server allows"}
	// ErrConflict: the change collides with the graph as it is (an id already taken, a site of another
	// enterprise, a status transition the current status forbids) or with an editor who changed the same
	// record at the same time. Read the record again and decide; retrying blindly gives the same answer.
	ErrConflict = &Error{Code: CodeConflict, Message: "the change conflicts with the current graph"}
	// ErrReplicaBehind: a read waited its whole bookmark budget for the database to apply the writes the
	// client's bookmark names. Not a failure to reach the database: it never opens the breaker.
	ErrReplicaBehind = &Error{Code: CodeReplicaBehind, Message: "the database has not yet applied the writes your bookmark names: retry in a second"}
	// ErrBusy: a scenario or a changes summary waited its whole request for one of the server's analysis
	// slots (MAX_ANALYSES) and did not start. Nothing is wrong with the request: retry in a few seconds.
	ErrBusy = &Error{Code: CodeTooManyRequests, Message: "the server is running as many analyses as it may at once: retry in a few seconds"}
	// ErrWritersBusy: a change waited its whole request for one of the server's write slots (MAX_WRITERS) and
	// was not written. Nothing is wrong with the change: retry in a few seconds.
	ErrWritersBusy = &Error{Code: CodeTooManyRequests, Message: "the server is writing as many changes as it may at once: retry in a few seconds"}
	// ErrBadBookmark: the database refused a bookmark the client sent.
	ErrBadBookmark = &Error{Code: CodeBadRequest, Message: "the Chainmap-Bookmark header does not hold a bookmark of this database"}
)

// Error is an error whose message is safe to show to API users.
type Error struct {
	Code    string // one of the Code constants
	Field   string // path of the offending input field, e.g. "filter.minSeverity"; may be empty
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Is makes errors.Is(err, ErrNotFound) true for any *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.Field == "" || t.Field == e.Field)
}

// Conflict returns a CONFLICT error about the input field at path.
func Conflict(path, format string, args ...any) *Error {
	return &Error{Code: CodeConflict, Field: path, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a BAD_USER_INPUT error about the input field at path.
func Invalid(path, format string, args ...any) *Error {
	return &Error{Code: CodeBadUserInput, Field: path, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or CodeInternal.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}
