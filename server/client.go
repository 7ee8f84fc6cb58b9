package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// realClient resolves the client of each request before anything else reads it: a request from a trusted
// proxy is from the address that proxy names — the rightmost entry of X-Forwarded-For (else of Forwarded's
// for=) that is not itself a trusted proxy — and r.RemoteAddr is set to it; any other request is from its
// remote address, and the headers it sends are not read. With no trusted proxies, nothing changes.
func realClient(trusted []netip.Prefix, next http.Handler) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	isTrusted := func(a netip.Addr) bool {
		a = a.Unmap()
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil || !isTrusted(peer.Addr()) {
			next.ServeHTTP(w, r)
			return
		}
		hops := forwardedFor(r.Header)
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(hops[i])
			if err != nil {
				break // a hop a proxy did not write: trust nothing left of it
			}
			if !isTrusted(a) || i == 0 {
				r2 := *r
				r2.RemoteAddr = net.JoinHostPort(a.Unmap().String(), "0")
				next.ServeHTTP(w, &r2)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// forwardedFor lists the addresses a request passed through, client first: X-Forwarded-For's, else the for=
// parameters of Forwarded (RFC 7239), with ports and IPv6 brackets taken off.
func forwardedFor(h http.Header) []string {
	var hops []string
	for _, v := range h.Values("X-Forwarded-For") {
		for _, hop := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	if len(hops) > 0 {
		return hops
	}
	for _, v := range h.Values("Forwarded") {
		for _, elem := range strings.Split(v, ",") {
			for _, pair := range strings.Split(elem, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
				if !ok || !strings.EqualFold(k, "for") {
					continue
				}
				val = strings.Trim(val, `"`)
				if ap, err := netip.ParseAddrPort(val); err == nil {
					val = ap.Addr().String()
				}
				hops = append(hops, strings.Trim(val, "[]"))
			}
		}
	}
	return hops
}

// ParseTrustedProxies reads a comma-separated list of CIDRs or single addresses.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
