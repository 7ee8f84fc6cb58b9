package graph

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/chainmap/chainmap"
)

// Role is what a caller may do: viewers read, editors also change data, admins also introspect when
// introspection is closed to others.
type Role int

const (
	Anonymous Role = iota
	Viewer
	Editor
	Admin
)

// ParseRole reads a role name: viewer, editor or admin.
func ParseRole(s string) (Role, error) {
	switch strings.ToLower(s) {
	case "viewer":
		return Viewer, nil
	case "editor":
		return Editor, nil
	case "admin":
		return Admin, nil
	}
	return Anonymous, fmt.Errorf("unknown role %q: want viewer, editor or admin", s)
}

func (r Role) String() string {
	return [...]string{"anonymous", "viewer", "editor", "admin"}[r]
}

// Principal is who makes a request.
type Principal struct {
	Subject string
	Role    Role
}

// Auth says how callers prove who they are and what anonymous callers may do. Tokens come in the
// Authorization header as "Bearer <token>": a JWT signed with HS256 and JWTSecret, carrying the claims sub and
// role, or one of the APIKeys.
type Auth struct {
	JWTSecret []byte
	APIKeys   map[string]Principal // key → who it is
	// ReadsNeedViewer closes queries to anonymous callers; by default reads are open.
	ReadsNeedViewer bool
}

type principalKey struct{}

// SessionCookie holds the token of a browser that signed in (SignIn). It is HttpOnly and SameSite=Strict, and
// it grants reads only: whatever role its token has, a request that carries no Authorization header but this
// cookie is a viewer, so that a page on another site can never make a browser change data.
const SessionCookie = "chainmap_session"

// fromRequest returns the caller of an HTTP request: the bearer token of its Authorization header, else the
// token of its session cookie (as a viewer at most), else anonymous.
func (a Auth) fromRequest(r *http.Request) (Principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return a.principal(h)
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return Principal{Role: Anonymous}, nil
	}
	token, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return Principal{}, errors.New("the session cookie is not one this server set; sign in again at /signin")
	}
	p, err := a.principal("Bearer " + string(token))
	if err != nil {
		return p, fmt.Errorf("the session cookie: %v; sign in again at /signin", err)
	}
	p.Role = min(p.Role, Viewer)
	return p, nil
}

// MayRead decides whether an HTTP request may read data (exports, reports, GraphQL reads and streams): nil
// when reads are open or the caller has a token with any role; else an UNAUTHENTICATED error (no valid
// token) or FORBIDDEN. It is the one guard the server puts in front of every route that reads.
func (a Auth) MayRead(r *http.Request) error {
	if !a.ReadsNeedViewer {
		return nil
	}
	p, err := a.fromRequest(r)
	if err != nil {
		return &chainmap.Error{Code: chainmap.CodeUnauthenticated, Message: err.Error()}
	}
	return a.allow(p, "read")
}

// authenticate reads the caller's token, if any, into the request context. A token that does not verify is an
// UNAUTHENTICATED error for every operation, even open ones: a client sending a bad token should hear so.
func (a Auth) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := a.fromRequest(r)
		ctx := r.Context()
		if err != nil {
			ctx = context.WithValue(ctx, principalKey{}, err)
		} else {
			ctx = context.WithValue(ctx, principalKey{}, p)
		}
		ctx = context.WithValue(ctx, clientKey{}, clientOf(p, r))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type clientKey struct{}

// clientOf names a caller for the per-client caps: the token's subject, else the remote address.
func clientOf(p Principal, r *http.Request) string {
	if p.Subject != "" {
		return "sub:" + p.Subject
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr:" + host
}

func clientFrom(ctx context.Context) string {
	c, _ := ctx.Value(clientKey{}).(string)
	return c
}

func (a Auth) principal(header string) (Principal, error) {
	if header == "" {
		return Principal{Role: Anonymous}, nil
	}
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || token == "" {
		return Principal{}, errors.New(`the Authorization header must be "Bearer <token>"`)
	}
	for key, p := range a.APIKeys {
		if subtle.ConstantTimeCompare([]byte(key), []byte(token)) == 1 {
			return p, nil
		}
	}
	if len(a.JWTSecret) == 0 {
		return Principal{}, errors.New("unknown API key")
	}
	var claims struct {
		Role string `json:"role"`
		jwt.RegisteredClaims
	}
	_, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return a.JWTSecret, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired())
	if err != nil {
		return Principal{}, fmt.Errorf("invalid token: %v", err)
	}
	role, err := ParseRole(claims.Role)
	if err != nil {
		return Principal{}, fmt.Errorf("invalid token: %v", err)
	}
	if claims.Subject == "" {
		return Principal{}, errors.New("invalid token: no subject (sub)")
	}
	return Principal{Subject: claims.Subject, Role: role}, nil
}

// principalFrom returns the caller of the request, or the error that their token gave.
func principalFrom(ctx context.Context) (Principal, error) {
	switch v := ctx.Value(principalKey{}).(type) {
	case Principal:
		return v, nil
	case error:
		return Principal{}, &chainmap.Error{Code: chainmap.CodeUnauthenticated, Message: v.Error()}
	}
	return Principal{Role: Anonymous}, nil
}

// authorize decides whether the caller may run an operation of the kind ("query", "mutation", …).
func (a Auth) authorize(ctx context.Context, kind string) error {
	p, err := principalFrom(ctx)
	if err != nil {
		return err
	}
	return a.allow(p, kind)
}

// allow decides whether p may run an operation of the kind ("query", "mutation", "read", …).
func (a Auth) allow(p Principal, kind string) error {
	need := Anonymous
	switch {
	case kind == "mutation":
		need = Editor
	case a.ReadsNeedViewer:
		need = Viewer
	}
	switch {
	case p.Role >= need:
		return nil
	case p.Role == Anonymous:
		return &chainmap.Error{Code: chainmap.CodeUnauthenticated, Message: fmt.Sprintf("a %s needs a token with the %s role", kind, need)}
	}
	return &chainmap.Error{Code: chainmap.CodeForbidden, Message: fmt.Sprintf("a %s needs the %s role; this token has %s", kind, need, p.Role)}
}

// author names the caller in the records their changes leave.
func author(ctx context.Context) string {
	p, _ := principalFrom(ctx)
	return p.Subject
}
