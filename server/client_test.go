package server

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestRealClient(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 192.168.1.5, ::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, remote string
		header       map[string]string
		want         string
	}{
		{"untrusted peer keeps its address", "203.0.113.1:5000", map[string]string{"X-Forwarded-For": "1.2.3.4"}, "203.0.113.1:5000"},
		{"trusted peer, one hop", "10.1.2.3:5000", map[string]string{"X-Forwarded-For": "198.51.100.1"}, "198.51.100.1:0"},
		{"trusted peer, the rightmost untrusted hop", "10.1.2.3:5000", map[string]string{"X-Forwarded-For": "6.6.6.6, 198.51.100.1, 10.0.0.9"}, "198.51.100.1:0"},
		{"single trusted address", "192.168.1.5:80", map[string]string{"X-Forwarded-For": "198.51.100.2"}, "198.51.100.2:0"},
		{"neighbour of a single trusted address", "192.168.1.6:80", map[string]string{"X-Forwarded-For": "198.51.100.2"}, "192.168.1.6:80"},
		{"Forwarded when there is no X-Forwarded-For", "10.1.2.3:5000", map[string]string{"Forwarded": `for="[2001:db8::1]:4711";proto=https`}, "[2001:db8::1]:0"},
		{"garbage hop: nothing left of it is trusted", "10.1.2.3:5000", map[string]string{"X-Forwarded-For": "198.51.100.3, unknown"}, "10.1.2.3:5000"},
		{"trusted peer, no header", "[::1]:5000", nil, "[::1]:5000"},
		{"IPv4 peer mapped in IPv6", "[::ffff:10.1.2.3]:5000", map[string]string{"X-Forwarded-For": "198.51.100.4"}, "198.51.100.4:0"},
	} {
		var got string
		h := realClient(trusted, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }))
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = tc.remote
		for k, v := range tc.header {
			req.Header.Set(k, v)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		if got != tc.want {
			t.Errorf("%s: client %q, want %q", tc.name, got, tc.want)
		}
	}
	if _, err := ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad CIDR was accepted")
	}
	if p, _ := ParseTrustedProxies("::ffff:10.0.0.1"); p[0] != netip.MustParsePrefix("10.0.0.1/32") {
		t.Errorf("mapped address: %v", p)
	}
}
