package graph

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

// Every string of the sign-in page has Chinese and English taking the same values, and every key the page or
// its handler uses is in the table.
func TestSignInText(t *testing.T) {
	for _, err := range signInText.Check() {
		t.Error(err)
	}
	src, err := os.ReadFile("signin.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, re := range []string{`\bt "([^"]+)"`, `(?:page\.Message|refuse\(http\.\w+),? ?=? ?"([^"]+)"`, `page\.Message, page\.OK = "([^"]+)"`} {
		for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
			if _, ok := signInText[m[1]]; !ok {
				t.Errorf("the sign-in page uses %q, which signInText lacks", m[1])
			}
		}
	}
	for key := range signInText {
		if !used[key] {
			t.Errorf("signInText has %q, which nothing uses", key)
		}
	}
}

// The sign-in page and its refusals speak the reader's language: the address, then the page it sends back to,
// then the explorer's cookie, then Accept-Language, else Chinese.
func TestSignInLanguage(t *testing.T) {
	srv := httptest.NewServer(Auth{APIKeys: map[string]Principal{"viewer-key-000000000000": {Subject: "v", Role: Viewer}}, ReadsNeedViewer: true}.SignIn(nil))
	defer srv.Close()
	do := func(method, path string, form url.Values, header ...string) (int, string) {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, srv.URL+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		name, method, path string
		form               url.Values
		header             []string
		code               int
		want               []string
	}{
		{"Chinese by default", "GET", "/signin", nil, nil, 200, []string{`<html lang="zh-CN">`, "<h1>登录</h1>", "令牌", "退出登录"}},
		{"lang=en", "GET", "/signin?lang=en", nil, nil, 200, []string{`<html lang="en">`, "<h1>Sign in</h1>", "for reading only", "Sign out"}},
		{"the page it returns to", "GET", "/signin?next=" + url.QueryEscape("/report/hydrogen?lang=en"), nil, nil, 200, []string{"<h1>Sign in</h1>"}},
		{"the cookie", "GET", "/signin", nil, []string{"Cookie", "chainmap_lang=en"}, 200, []string{"<h1>Sign in</h1>"}},
		{"Accept-Language", "GET", "/signin", nil, []string{"Accept-Language", "en-US,en;q=0.9"}, 200, []string{"<h1>Sign in</h1>"}},
		{"a wrong token, in Chinese", "POST", "/signin", url.Values{"token": {"wrong-key-000000000000"}}, nil, 401, []string{"该令牌未被接受"}},
		{"a wrong token, in the form's language", "POST", "/signin", url.Values{"token": {"wrong-key-000000000000"}, "lang": {"en"}},
			[]string{"Accept-Language", "zh-CN"}, 401, []string{"That token was not accepted", `<html lang="en">`}},
		{"from another site", "POST", "/signin?lang=en", url.Values{"token": {"viewer-key-000000000000"}}, []string{"Origin", "https://evil.example"}, 403,
			[]string{"Sign-in from another site is refused"}},
		{"from another site, in Chinese", "POST", "/signin", url.Values{"token": {"viewer-key-000000000000"}}, []string{"Origin", "https://evil.example"}, 403,
			[]string{"拒绝来自其他网站的登录"}},
		{"signed out", "POST", "/signin", url.Values{"signout": {"1"}, "lang": {"zh"}}, nil, 200, []string{"您已退出登录"}},
		{"a method it does not take", "PUT", "/signin?lang=zh", nil, nil, 405, []string{"请使用 GET 或 POST"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, page := do(tc.method, tc.path, tc.form, tc.header...)
			if code != tc.code {
				t.Errorf("%d, want %d: %.300s", code, tc.code, page)
			}
			for _, want := range tc.want {
				if !strings.Contains(page, want) {
					t.Errorf("no %q in %.600s", want, page)
				}
			}
		})
	}
}
