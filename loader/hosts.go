package loader

import (
	"net/url"
	"strings"
)

// HostClass is what the audit knows about the host a source's URL points at. It is decided by rules
// (government and filings domains, a table of known first-party outlets and known re-post hosts, the
// enterprises' own websites) and by the reviewed exceptions in the seeds' `hosts:` records — never by the tag a
// source gives itself, so that a copy cannot be talked into a first-party source.
type HostClass string

const (
	HostOfficial  HostClass = "OFFICIAL"  // a government, filings, university or academy host
	HostMedia     HostClass = "MEDIA"     // a known outlet, or its licensed syndication
	HostFirm      HostClass = "FIRM"      // an enterprise's own website
	HostReference HostClass = "REFERENCE" // an encyclopaedia or standards reference
	HostRepost    HostClass = "REPOST"    // self-media, document sharing, unattributed re-posts
	HostUnrelated HostClass = "UNRELATED" // a business unrelated to the text it carries (a shop, a restaurant portal)
	HostSpam      HostClass = "SPAM"      // a hijacked page: lottery, casino, clinic or spam around copied text
	HostUnknown   HostClass = ""          // none of the above: unreviewed
)

// HostClasses are the classes a reviewed `hosts:` record may give.
var HostClasses = []HostClass{HostOfficial, HostMedia, HostFirm, HostReference, HostRepost, HostUnrelated, HostSpam}

// FirstParty reports whether a source on a host of class c may carry a REPORTED fact on its own.
func (c HostClass) FirstParty() bool {
	return c == HostOfficial || c == HostMedia || c == HostFirm || c == HostReference
}

// knownHosts maps a host (or a host and a path prefix, "163.com/dy/") to its class. A key matches the host and
// its subdomains; the longest matching key wins, so "k.sina.com.cn" (self-media) overrides "sina.com.cn".
var knownHosts = map[string]HostClass{
	// Stock exchanges and filings.
	"cninfo.com.cn": HostOfficial, "sse.com.cn": HostOfficial, "szse.cn": HostOfficial, "bse.cn": HostOfficial,
	"neeq.com.cn": HostOfficial, "hkexnews.hk": HostOfficial,
	// The Chinese Academy of Sciences (its institutes' own sites).
	"cas.cn": HostOfficial,
	// National and regional outlets and their own syndication.
	"people.com.cn": HostMedia, "people.cn": HostMedia, "xinhuanet.com": HostMedia, "news.cn": HostMedia,
	"chinadaily.com.cn": HostMedia, "gmw.cn": HostMedia, "cctv.com": HostMedia, "cntv.cn": HostMedia,
	"cnr.cn": HostMedia, "chinanews.com.cn": HostMedia, "chinanews.com": HostMedia, "ecns.cn": HostMedia,
	"ce.cn": HostMedia, "china.com.cn": HostMedia, "china.org.cn": HostMedia, "cri.cn": HostMedia,
	"youth.cn": HostMedia, "huanqiu.com": HostMedia, "globaltimes.cn": HostMedia, "cgtn.com": HostMedia,
	"qstheory.cn": HostMedia, "stdaily.com": HostMedia, "workercn.cn": HostMedia, "jjckb.cn": HostMedia,
	"thepaper.cn": HostMedia, "bjnews.com.cn": HostMedia, "bjd.com.cn": HostMedia, "ynet.com": HostMedia,
	"qianlong.com": HostMedia, "takefoto.cn": HostMedia, "hebnews.cn": HostMedia, "hebei.com.cn": HostMedia,
	"enorth.com.cn": HostMedia, "tianjinwe.com": HostMedia, "tjyun.com": HostMedia, "cinn.cn": HostMedia,
	"cena.com.cn": HostMedia, "chinahightech.com": HostMedia, "cnautonews.com": HostMedia,
	"cs.com.cn": HostMedia, "stcn.com": HostMedia, "cnstock.com": HostMedia, "yicai.com": HostMedia,
	"21jingji.com": HostMedia, "caixin.com": HostMedia, "caixinglobal.com": HostMedia, "eeo.com.cn": HostMedia,
	"nbd.com.cn": HostMedia, "cls.cn": HostMedia, "jiemian.com": HostMedia, "chinatimes.net.cn": HostMedia,
	"news.sina.com.cn": HostMedia, "finance.sina.com.cn": HostMedia, "auto.sina.com.cn": HostMedia,
	"reuters.com": HostMedia, "bloomberg.com": HostMedia, "nikkei.com": HostMedia, "scmp.com": HostMedia,
	// Encyclopaedias and standards.
	"wikipedia.org": HostReference,
	// Self-media, document sharing and re-post hosts: never first-party, whatever their pages say.
	"baijiahao.baidu.com": HostRepost, "k.sina.com.cn": HostRepost,
	"163.com/dy/": HostRepost, "sohu.com/a/": HostRepost, "toutiao.com": HostRepost, "zhihu.com": HostRepost, "xueqiu.com": HostRepost,
	"wenku.baidu.com": HostRepost, "baike.baidu.com": HostRepost, "doc88.com": HostRepost, "docin.com": HostRepost,
	"bingdoc.com": HostRepost, "renrendoc.com": HostRepost, "book118.com": HostRepost, "360doc.com": HostRepost,
}

// hostRules classifies URLs: the known hosts, the reviewed exceptions and the enterprises' own websites.
type hostRules struct {
	keys map[string]HostClass // host or host+path prefix → class
}

func newHostRules(reviewed map[string]HostClass, firmSites []string) *hostRules {
	r := &hostRules{keys: map[string]HostClass{}}
	for k, c := range knownHosts {
		r.keys[k] = c
	}
	for _, site := range firmSites {
		if h, _ := hostAndPath(site); h != "" {
			r.keys[h] = HostFirm
		}
	}
	for k, c := range reviewed { // a reviewed exception overrides a rule
		r.keys[strings.TrimPrefix(strings.ToLower(k), "www.")] = c
	}
	return r
}

// hostAndPath returns the URL's lower-case host without "www." and its path; "" when it has none.
func hostAndPath(raw string) (host, path string) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www."), u.Path
}

// class returns the class of the URL's host, and the rule key that decided it ("" when none did).
func (r *hostRules) class(raw string) (HostClass, string) {
	host, path := hostAndPath(raw)
	if host == "" {
		return HostUnknown, ""
	}
	path = strings.ToLower(path) // the keys are lower-cased whole
	best, class := "", HostUnknown
	consider := func(key string, c HostClass) {
		if len(key) > len(best) {
			best, class = key, c
		}
	}
	for h := host; h != ""; {
		if c, ok := r.keys[h]; ok {
			consider(h, c)
		}
		for k, c := range r.keys {
			if p, ok := strings.CutPrefix(k, h+"/"); ok && strings.HasPrefix(strings.TrimPrefix(path, "/"), p) {
				consider(k, c)
			}
		}
		_, rest, ok := strings.Cut(h, ".")
		if !ok || !strings.Contains(rest, ".") {
			break
		}
		h = rest
	}
	if best != "" {
		return class, best
	}
	switch {
	case host == "gov.cn" || strings.HasSuffix(host, ".gov.cn") || strings.HasSuffix(host, ".gov"):
		return HostOfficial, "*.gov.cn"
	case strings.HasSuffix(host, ".edu.cn") || strings.HasSuffix(host, ".ac.cn"):
		return HostOfficial, "*.edu.cn"
	}
	return HostUnknown, ""
}
