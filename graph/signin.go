package graph

import (
	"encoding/base64"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chainmap/chainmap/i18n"
)

// sessionMaxAge is how long a browser stays signed in.
const sessionMaxAge = 12 * time.Hour

// signInText is every string of the sign-in page, in Chinese and English (TestSignInText checks both).
var signInText = i18n.Table{
	"title":     {Zh: "登录 · chainmap", En: "Sign in · chainmap"},
	"heading":   {Zh: "登录", En: "Sign in"},
	"intro":     {Zh: "本 chainmap 服务器只向已登录的读者展示数据。请粘贴您获得的 API 密钥或令牌（JWT）；浏览器会将其保存在 Cookie 中 %d 小时，仅用于读取。", En: "This chainmap server shows its data to signed-in readers. Paste an API key or a token (JWT) you were given; your browser keeps it in a cookie for %d hours, for reading only."},
	"token":     {Zh: "令牌", En: "Token"},
	"signIn":    {Zh: "登录", En: "Sign in"},
	"signOut":   {Zh: "退出登录", En: "Sign out"},
	"back":      {Zh: "返回", En: "Back"},
	"signedIn":  {Zh: "您已登录。", En: "You are signed in."},
	"signedOut": {Zh: "您已退出登录。", En: "You are signed out."},
	"expired":   {Zh: "您的登录已失效，请重新登录。", En: "Your session is no longer valid: sign in again."},
	"refused":   {Zh: "该令牌未被接受，请检查后重试。", En: "That token was not accepted: check it and try again."},
	"crossSite": {Zh: "拒绝来自其他网站的登录。", En: "Sign-in from another site is refused."},
	"badForm":   {Zh: "无法读取表单。", En: "The form could not be read."},
	"badMethod": {Zh: "请使用 GET 或 POST。", En: "Use GET or POST."},
}

var signInPages = func() map[i18n.Lang]*template.Template {
	out := map[i18n.Lang]*template.Template{}
	for _, l := range i18n.Langs {
		out[l] = template.Must(template.New("signin").Funcs(template.FuncMap{
			"t":        func(key string, args ...any) (string, error) { return signInText.Say(l, key, args...) },
			"htmlLang": l.HTML,
		}).Parse(signInHTML))
	}
	return out
}()

const signInHTML = `<!doctype html>
<html lang="{{htmlLang}}"><head><meta charset="utf-8"><title>{{t "title"}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 "Noto Sans CJK SC","WenQuanYi Zen Hei","PingFang SC","Microsoft YaHei",system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
input[type=password]{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1.2rem;font:inherit}
.msg{padding:.6rem .8rem;border-radius:4px;background:#fde8e8;color:#8a1c1c}.ok{background:#e6f4ea;color:#1e6b34}.langs{font-size:14px;color:#52606d}</style></head>
<body><p class="langs">{{range $i, $l := .Langs}}{{if $i}} · {{end}}{{if $l.Current}}<b>{{$l.Label}}</b>{{else}}<a href="{{$l.Href}}" lang="{{$l.Lang}}" hreflang="{{$l.Lang}}">{{$l.Label}}</a>{{end}}{{end}}</p>
<h1>{{t "heading"}}</h1>
{{if .Message}}<p class="msg{{if .OK}} ok{{end}}" role="status">{{t .Message}}</p>{{end}}
{{if .Intro}}<p>{{t "intro" .Hours}}</p>
<form method="post" action="/signin"><input type="hidden" name="next" value="{{.Next}}"><input type="hidden" name="lang" value="{{.Lang}}">
<label for="token">{{t "token"}}</label><input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit" data-testid="signin-submit">{{t "signIn"}}</button></form>
<form method="post" action="/signin"><input type="hidden" name="signout" value="1"><input type="hidden" name="next" value="{{.Next}}"><input type="hidden" name="lang" value="{{.Lang}}">
<button type="submit" data-testid="signout-submit">{{t "signOut"}}</button></form>{{end}}
<p><a href="{{.Next}}">{{t "back"}}</a></p></body></html>`

// SignIn serves /signin: GET shows a form for a token, POST with a token that verifies sets SessionCookie and
// sends the browser back to next (a path on this server); POST with signout=1 clears the cookie. The cookie
// grants reads only (see SessionCookie). A POST from a page of another origin is refused.
func (a Auth) SignIn(log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := signInLang(r)
		page := signInPage{Next: localPath(r.URL.Query().Get("next")), Hours: int(sessionMaxAge.Hours()), Lang: lang, Intro: true}
		show := func(status int) {
			page.Langs = signInLangs(page.Next, lang)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Language", string(lang))
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
			w.Header().Set("X-Frame-Options", "DENY")
			w.WriteHeader(status)
			if err := signInPages[lang].Execute(w, page); err != nil {
				log.ErrorContext(r.Context(), "sign-in page", "err", err)
			}
		}
		// refuse shows the page with only the reason a request was refused.
		refuse := func(status int, msg string) {
			page.Message, page.Intro = msg, false
			show(status)
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			if _, err := r.Cookie(SessionCookie); err == nil {
				if _, err := a.fromRequest(r); err != nil {
					page.Message = "expired"
				} else {
					page.Message, page.OK = "signedIn", true
				}
			}
			show(http.StatusOK)
			return
		case http.MethodPost:
		default:
			w.Header().Set("Allow", "GET, POST")
			refuse(http.StatusMethodNotAllowed, "badMethod")
			return
		}
		if o := r.Header.Get("Origin"); o != "" && !sameOrigin(o, r) {
			refuse(http.StatusForbidden, "crossSite")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
		if err := r.ParseForm(); err != nil {
			refuse(http.StatusBadRequest, "badForm")
			return
		}
		page.Next = localPath(r.PostForm.Get("next"))
		if l, ok := i18n.Parse(r.PostForm.Get("lang")); ok {
			page.Lang, lang = l, l
		}
		cookie := &http.Cookie{Name: SessionCookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
			Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"}
		if r.PostForm.Get("signout") != "" {
			cookie.MaxAge = -1
			http.SetCookie(w, cookie)
			page.Message, page.OK = "signedOut", true
			show(http.StatusOK)
			return
		}
		token := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(r.PostForm.Get("token")), "Bearer "))
		p, err := a.principal("Bearer " + token)
		if err != nil || token == "" || p.Role == Anonymous {
			log.InfoContext(r.Context(), "sign-in refused", "client", r.RemoteAddr)
			page.Message = "refused"
			show(http.StatusUnauthorized)
			return
		}
		// Encoded: an API key may hold characters a cookie cannot.
		cookie.Value, cookie.MaxAge = base64.RawURLEncoding.EncodeToString([]byte(token)), int(sessionMaxAge.Seconds())
		http.SetCookie(w, cookie)
		log.InfoContext(r.Context(), "signed in", "subject", p.Subject, "client", r.RemoteAddr)
		http.Redirect(w, r, page.Next, http.StatusSeeOther)
	})
}

// signInPage is what the sign-in page shows: Message is a key of signInText.
type signInPage struct {
	Message, Next string
	OK, Intro     bool
	Hours         int
	Lang          i18n.Lang
	Langs         []signInLangLink
}

type signInLangLink struct {
	Lang    i18n.Lang
	Label   string
	Href    string
	Current bool
}

// signInLang is the page's language: the request's (i18n.FromRequest), or, when the address does not say, the
// one of the page the reader is sent back to (next=/report/x?lang=en).
func signInLang(r *http.Request) i18n.Lang {
	if _, ok := i18n.Parse(r.URL.Query().Get(i18n.Param)); !ok {
		if u, err := url.Parse(r.URL.Query().Get("next")); err == nil {
			if l, ok := i18n.Parse(u.Query().Get(i18n.Param)); ok {
				return l
			}
		}
	}
	return i18n.FromRequest(r)
}

func signInLangs(next string, current i18n.Lang) []signInLangLink {
	var out []signInLangLink
	for _, l := range i18n.Langs {
		q := url.Values{"next": {next}, i18n.Param: {string(l)}}
		out = append(out, signInLangLink{Lang: l, Label: l.Name(),
			Href: "/signin?" + q.Encode(), Current: l == current})
	}
	return out
}

// localPath keeps next only when it is a path on this server (never another host), else "/explore".
func localPath(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\r\n") {
		return "/explore"
	}
	return next
}

func sameOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}
