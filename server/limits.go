package server

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/chainmap/chainmap"
)

// Limits bound what one request may cost and how many run at once.
type Limits struct {
	// MaxInFlight GraphQL requests run at once; up to MaxQueue more wait at most QueueWait for a slot; past
	// that, requests get 503 with Retry-After at once.
	MaxInFlight int
	MaxQueue    int
	QueueWait   time.Duration
	// RequestTimeout cancels a GraphQL request's context (and so its Neo4j queries) after this long.
	RequestTimeout time.Duration
	// MaxResponseBytes bounds a GraphQL response; a larger one is replaced by an error.
	MaxResponseBytes int64
	// MaxStreams bounds the subscription connections (WebSocket, SSE) open at once; past it, 503.
	MaxStreams int

	// The http.Server's timeouts (NewHTTPServer): reading headers, reading the whole request, writing the
	// response, and an idle keep-alive connection.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
}

// DefaultLimits suit a small server (2 cores) next to its Neo4j. A field of Config.Limits left at 0 takes its
// value here (chainmap.WithDefaults).
var DefaultLimits = Limits{MaxInFlight: 16, MaxQueue: 32, QueueWait: 2 * time.Second, RequestTimeout: 20 * time.Second,
	MaxResponseBytes: 16 << 20, MaxStreams: 2000, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
	WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second}

// NewHTTPServer returns an http.Server for h with the timeouts of cfg.Limits: a client that trickles its
// headers or body, or reads its response too slowly, loses its connection instead of holding it.
func NewHTTPServer(h http.Handler, cfg Config) *http.Server {
	l := chainmap.WithDefaults(cfg.Limits, DefaultLimits)
	return &http.Server{Handler: h, ReadHeaderTimeout: l.ReadHeaderTimeout, ReadTimeout: l.ReadTimeout,
		WriteTimeout: l.WriteTimeout, IdleTimeout: l.IdleTimeout, MaxHeaderBytes: 64 << 10}
}

// withDeadline cancels the request's context after d; the client going away cancels it too (net/http).
func withDeadline(d time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// admission caps the requests in flight, with a short queue in front.
type admission struct {
	slots   chan struct{}
	queue   chan struct{}
	wait    time.Duration
	metrics *Metrics
}

func newAdmission(l Limits, m *Metrics) *admission {
	return &admission{slots: make(chan struct{}, l.MaxInFlight), queue: make(chan struct{}, l.MaxQueue), wait: l.QueueWait, metrics: m}
}

func (a *admission) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case a.slots <- struct{}{}:
		default:
			select {
			case a.queue <- struct{}{}:
			default:
				a.busy(w)
				return
			}
			t := time.NewTimer(a.wait)
			select {
			case a.slots <- struct{}{}:
				<-a.queue
				t.Stop()
			case <-t.C:
				<-a.queue
				a.busy(w)
				return
			case <-r.Context().Done():
				<-a.queue
				t.Stop()
				return
			}
		}
		defer func() { <-a.slots }()
		h.ServeHTTP(w, r)
	})
}

func (a *admission) busy(w http.ResponseWriter) {
	if a.metrics != nil {
		a.metrics.rejected.WithLabelValues("busy").Inc()
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Retry-After", "1")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte(`{"errors":[{"message":"the server is busy: retry in a second","extensions":{"code":"UNAVAILABLE"}}]}`))
}

// limitResponse replaces a response larger than max bytes by an error (a GraphQL response is written in one
// piece), or cuts the connection if part of it has gone already.
func limitResponse(h http.Handler, max int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := &boundedWriter{ResponseWriter: w, max: max}
		h.ServeHTTP(b, r)
		if !b.wroteHeader && !b.over && b.status != 0 {
			w.WriteHeader(b.status)
		}
	})
}

type boundedWriter struct {
	http.ResponseWriter
	max, n      int64
	status      int
	wroteHeader bool
	over        bool
}

func (b *boundedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *boundedWriter) Write(p []byte) (int, error) {
	if b.over {
		return len(p), nil
	}
	if b.n+int64(len(p)) > b.max {
		if b.n > 0 {
			panic(http.ErrAbortHandler)
		}
		b.over = true
		b.ResponseWriter.Header().Set("Content-Type", "application/json")
		b.ResponseWriter.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = b.ResponseWriter.Write([]byte(`{"errors":[{"message":"the response would exceed ` + strconv.FormatInt(b.max, 10) +
			` bytes: ask for fewer items (first, maxNodes)","extensions":{"code":"BAD_USER_INPUT","reason":"RESPONSE_TOO_LARGE"}}]}`))
		return len(p), nil
	}
	if !b.wroteHeader {
		b.wroteHeader = true
		if b.status == 0 {
			b.status = http.StatusOK
		}
		b.ResponseWriter.WriteHeader(b.status)
	}
	b.n += int64(len(p))
	return b.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (b *boundedWriter) Unwrap() http.ResponseWriter { return b.ResponseWriter }

// isStream tells a subscription request: a WebSocket upgrade, or a graphql-sse POST (as graph's
// isStreamRequest does, which checks that only subscriptions come this way).
func isStream(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") ||
		r.Method == http.MethodPost && strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// streamCap caps the open subscription connections, and lifts the server's read and write deadlines from
// them (they are for requests; a stream stays open, with keep-alives, until either side ends it).
type streamCap struct {
	slots   chan struct{}
	metrics *Metrics
	log     *slog.Logger
}

func newStreamCap(l Limits, m *Metrics, log *slog.Logger) *streamCap {
	return &streamCap{slots: make(chan struct{}, l.MaxStreams), metrics: m, log: log}
}

func (c *streamCap) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case c.slots <- struct{}{}:
		default:
			if c.metrics != nil {
				c.metrics.rejected.WithLabelValues("streams").Inc()
			}
			c.log.InfoContext(r.Context(), "subscription refused: too many streams", "client", r.RemoteAddr, "max_streams", cap(c.slots))
			w.Header().Set("Retry-After", "5")
			writeJSONError(w, http.StatusServiceUnavailable, chainmap.CodeTooManyStreams, "this server has as many subscription connections open as it may: retry later")
			return
		}
		defer func() { <-c.slots }()
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Time{})
		_ = rc.SetWriteDeadline(time.Time{})
		h.ServeHTTP(w, r)
	})
}
