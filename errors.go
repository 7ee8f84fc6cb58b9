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
	// CodeTooManyRequests: the client has made as many requests of this kind as it may for now (readers'
	// flags, FlagRate); the message says when to try again.
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
