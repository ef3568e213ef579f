//! The second line of defence: values that look secret by their shape, found
//! even when nobody registered them (a token echoed inside a server's error
//! page before the client ever parsed it).
//!
//! Each rule marks only the secret value itself and stops where the value
//! ends: at its closing quote, at the first character a form value cannot
//! hold, at the end of a credential. Prose about a scheme ("a Basic
//! challenge") and a challenge's auth-params (`Bearer error="invalid_token"`)
//! are left as written.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Field names whose values are secret in forms, JSON bodies, query strings,
/// TOML and `{:?}` output.
pub const SECRET_FIELDS: &[&str] = &[
    "client_secret",
    "access_token",
    "refresh_token",
    "id_token",
    "code",
    "code_verifier",
    "password",
    "client_assertion",
];

/// Headers whose whole value is a credential.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static regex")
}

/// `"client_secret": "…"`, `client_secret = "…"`, `'code': '…'`: the value
/// between the quotes (an unterminated one runs to the end of the line).
static QUOTED_FIELD: LazyLock<[Regex; 2]> = LazyLock::new(|| {
    let fields = SECRET_FIELDS.join("|");
    [
        regex(&format!(
            r#"\b(?:{fields})"?[ \t]*[:=][ \t]*"((?:[^"\\\n]|\\[^\n])*)"#
        )),
        regex(&format!(
            r#"\b(?:{fields})'?[ \t]*[:=][ \t]*'((?:[^'\\\n]|\\[^\n])*)"#
        )),
    ]
});

/// `client_secret=…` in a form or a query: the characters a form-encoded
/// value is made of, and nothing after them (a quote, `&`, `\`, a space).
static FORM_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    let fields = SECRET_FIELDS.join("|");
    regex(&format!(r"\b(?:{fields})=([A-Za-z0-9._~%+/*!=-]+)"))
});

/// A JWT, whole or cut: `eyJ` is the base64url of `{"`, so ten more
/// base64url characters are a JWT header, with whatever follows of it.
static JWT: LazyLock<Regex> =
    LazyLock::new(|| regex(r"eyJ[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_-]*){0,2}"));

/// `Basic <credentials>`, `Bearer <token>`: the token68 after the scheme.
static CREDENTIAL: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)\b(?:basic|bearer)[ \t]+([A-Za-z0-9._~+/-]+=*)"));

/// `scheme://userinfo@host`: the userinfo.
static USERINFO: LazyLock<Regex> =
    LazyLock::new(|| regex(r#"\b[A-Za-z][A-Za-z0-9+.-]*://([^\s/?#@"'<>\\]+)@"#));

/// Every secret-shaped value in `text`.
pub(crate) fn find(text: &str, out: &mut Vec<Range<usize>>) {
    let group = |re: &Regex, out: &mut Vec<Range<usize>>| {
        for caps in re.captures_iter(text) {
            if let Some(m) = caps.get(1).filter(|m| !m.is_empty()) {
                out.push(m.range());
            }
        }
    };
    for re in QUOTED_FIELD.iter() {
        group(re, out);
    }
    group(&FORM_FIELD, out);
    group(&USERINFO, out);
    out.extend(JWT.find_iter(text).map(|m| m.range()));
    for caps in CREDENTIAL.captures_iter(text) {
        let Some(m) = caps.get(1) else { continue };
        if is_credential(m.as_str(), &text[m.end()..]) {
            out.push(m.range());
        }
    }
}

/// Whether the word after `Basic`/`Bearer` is a credential: not prose ("a
/// Basic challenge", "Bearer instead": short lower-case words), and not the
/// name of a challenge's auth-param (`error="…"`, `realm=x`, also escaped:
/// `error=\"…\"`), which is one `=` followed by its value.
fn is_credential(word: &str, after: &str) -> bool {
    if word.len() < 6 {
        return false;
    }
    let name = word.trim_end_matches('=');
    let padding = word.len() - name.len();
    let is_param_name = name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    let value_follows = after
        .chars()
        .next()
        .is_some_and(|c| c == '"' || c == '\\' || c.is_ascii_alphanumeric());
    if padding == 1 && is_param_name && value_follows {
        return false;
    }
    // A word of prose, perhaps ending a sentence ("the Basic scheme.").
    let word = name.trim_end_matches(['.', ',']);
    let prose = word.len() < 20 && word.chars().all(|c| c.is_ascii_lowercase() || c == '-');
    !(padding == 0 && prose)
}

/// An HTTP header's value as a record may show it: the whole value of a
/// credential header is hidden (its scheme kept: `Basic [REDACTED]`), any
/// other value is redacted like any text.
pub fn header(name: &str, value: &str) -> String {
    if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        return match value.trim().split_once(' ') {
            Some((scheme, _)) if scheme.chars().all(|c| c.is_ascii_alphabetic()) => {
                format!("{scheme} {}", super::REDACTED)
            }
            _ => super::REDACTED.to_owned(),
        };
    }
    super::field(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str) -> Vec<&str> {
        let mut spans = Vec::new();
        find(text, &mut spans);
        spans.into_iter().map(|s| &text[s]).collect()
    }

    #[test]
    fn quoted_fields_stop_at_their_closing_quote() {
        assert_eq!(
            marked(r#"{"access_token": "abc\"def", "token_type": "Bearer"}"#),
            [r#"abc\"def"#]
        );
        assert_eq!(marked("client_secret = \"oops\"\nnext = \"x\""), ["oops"]);
        assert_eq!(marked("{'code': 'c0de', 'x': 'y'}"), ["c0de"]);
        // Not a secret field: error_code, "code": 400.
        assert!(marked(r#"{"error_code": "x", "code": 400}"#).is_empty());
    }

    #[test]
    fn form_fields_never_eat_a_quote_or_the_next_field() {
        assert_eq!(
            marked(r#"{"body":"grant_type=x&code=abc%2B1&refresh_token=r1r2\"}"#),
            ["abc%2B1", "r1r2"]
        );
        assert_eq!(marked("password=hunter2 and more"), ["hunter2"]);
        assert_eq!(marked("state=abc&code=[REDACTED]"), Vec::<&str>::new());
    }

    #[test]
    fn jwts_whole_or_cut() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature-1";
        assert_eq!(marked(&format!("token {jwt} end")), [jwt]);
        assert_eq!(
            marked("body: {\"t\":\"eyJhbGciOiJSUzI1"),
            ["eyJhbGciOiJSUzI1"]
        );
        assert!(marked("eyJshort").is_empty());
    }

    #[test]
    fn credentials_after_basic_and_bearer_but_not_prose_or_auth_params() {
        assert_eq!(
            marked("Authorization: Basic dXNlcjpwYXNz"),
            ["dXNlcjpwYXNz"]
        );
        assert_eq!(marked("\"Basic dXNlcjpwYQ==\""), ["dXNlcjpwYQ=="]);
        assert_eq!(marked("Bearer abc123defg, next"), ["abc123defg"]);
        assert_eq!(
            marked("Bearer abcdefghijklmnopqrstuvwxyz"),
            ["abcdefghijklmnopqrstuvwxyz"]
        );
        // The limits: six characters are a credential, and so are twenty
        // lower-case letters, which no word of prose is.
        assert_eq!(marked("Bearer Ab3xYz"), ["Ab3xYz"]);
        assert_eq!(
            marked("Bearer abcdefghijklmnopqrst"),
            ["abcdefghijklmnopqrst"]
        );
        // A quote after a credential without `=` does not make it an auth-param.
        assert_eq!(
            marked("\"Bearer abcdefghijklmnopqrstuvwxyz\""),
            ["abcdefghijklmnopqrstuvwxyz"]
        );
        for prose in [
            r#"WWW-Authenticate: Bearer error="invalid_token""#,
            r#"a challenge "Bearer error=\"invalid_token\"" came back"#,
            r#"Bearer realm="api", error="invalid_client""#,
            "Bearer realm=example",
            r#"Bearer error_description="expired""#,
            "a Basic challenge, Bearer instead of Basic",
            "carries WWW-Authenticate with the Basic scheme.",
            "Bearer re-authentication, please",
            "Bearer [REDACTED]",
        ] {
            assert!(marked(prose).is_empty(), "{prose}: {:?}", marked(prose));
        }
        // Never across a line.
        assert!(marked("Bearer\nabc123defg").is_empty());
    }

    #[test]
    fn url_userinfo() {
        assert_eq!(marked("GET http://user:pa55@host:8/x"), ["user:pa55"]);
        assert_eq!(marked("https://tok3n@h/"), ["tok3n"]);
        assert!(marked("http://host/path@x and a@b.c").is_empty());
    }

    #[test]
    fn credential_headers_hide_their_value_and_keep_the_scheme() {
        assert_eq!(header("Authorization", "Basic abc"), "Basic [REDACTED]");
        assert_eq!(header("cookie", "sessionid=1; csrftoken=2"), "[REDACTED]");
        assert_eq!(header("content-type", "text/html"), "text/html");
    }
}
