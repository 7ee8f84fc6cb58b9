package graph

import (
	"encoding/base64"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// sessionMaxAge is how long a browser stays signed in.
const sessionMaxAge = 12 * time.Hour

var signInPage = template.Must(template.New("signin").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · chainmap</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
input[type=password]{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1.2rem;font:inherit}
.msg{padding:.6rem .8rem;border-radius:4px;background:#fde8e8;color:#8a1c1c}.ok{background:#e6f4ea;color:#1e6b34}</style></head>
<body><h1>Sign in 登录</h1>
{{if .Message}}<p class="msg{{if .OK}} ok{{end}}" role="status">{{.Message}}</p>{{end}}
<p>This chainmap server shows its data to signed-in readers. Paste an API key or a token (JWT) you were given;
your browser keeps it in a cookie for {{.Hours}} hours, for reading only.</p>
<form method="post" action="/signin"><input type="hidden" name="next" value="{{.Next}}">
<label for="token">Token</label><input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button></form>
<form method="post" action="/signin"><input type="hidden" name="signout" value="1"><input type="hidden" name="next" value="{{.Next}}">
<button type="submit">Sign out</button></form>
<p><a href="{{.Next}}">Back</a></p></body></html>`))

// SignIn serves /signin: GET shows a form for a token, POST with a token that verifies sets SessionCookie and
// sends the browser back to next (a path on this server); POST with signout=1 clears the cookie. The cookie
// grants reads only (see SessionCookie). A POST from a page of another origin is refused.
func (a Auth) SignIn(log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := struct {
			Message, Next string
			OK            bool
			Hours         int
		}{Next: localPath(r.URL.Query().Get("next")), Hours: int(sessionMaxAge.Hours())}
		show := func(status int) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
			w.Header().Set("X-Frame-Options", "DENY")
			w.WriteHeader(status)
			_ = signInPage.Execute(w, page)
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			if _, err := r.Cookie(SessionCookie); err == nil {
				if _, err := a.fromRequest(r); err != nil {
					page.Message = "Your session is no longer valid: sign in again."
				} else {
					page.Message, page.OK = "You are signed in.", true
				}
			}
			show(http.StatusOK)
			return
		case http.MethodPost:
		default:
			w.Header().Set("Allow", "GET, POST")
			http.Error(w, "use GET or POST", http.StatusMethodNotAllowed)
			return
		}
		if o := r.Header.Get("Origin"); o != "" && !sameOrigin(o, r) {
			http.Error(w, "sign-in from another site is refused", http.StatusForbidden)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "the form could not be read", http.StatusBadRequest)
			return
		}
		page.Next = localPath(r.PostForm.Get("next"))
		cookie := &http.Cookie{Name: SessionCookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
			Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"}
		if r.PostForm.Get("signout") != "" {
			cookie.MaxAge = -1
			http.SetCookie(w, cookie)
			page.Message, page.OK = "You are signed out.", true
			show(http.StatusOK)
			return
		}
		token := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(r.PostForm.Get("token")), "Bearer "))
		p, err := a.principal("Bearer " + token)
		if err != nil || token == "" || p.Role == Anonymous {
			log.InfoContext(r.Context(), "sign-in refused", "client", r.RemoteAddr)
			page.Message = "That token was not accepted: check it and try again."
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
