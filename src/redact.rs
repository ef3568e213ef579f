//! The one redaction layer every output path goes through.
//!
//! Secrets reach output in two ways: as values we know (a configured client
//! secret, a token we received, a code we captured) and as values we have never
//! seen (a token echoed back inside a server's HTML error page). So redaction is
//! two-fold: every secret the process learns is *registered* and replaced
//! wherever it appears, and well-known *shapes* (JWTs, `Basic`/`Bearer`
//! credentials, secret-bearing form and JSON fields) are replaced even when
//! unregistered. Terminal output, failure messages, reports and snapshots all
//! call [`redact`]; tests feed known secrets through each path.

use std::collections::BTreeSet;
use std::sync::{LazyLock, RwLock};

use regex::Regex;

/// Placeholder for a registered secret found in free text.
pub const REDACTED: &str = "[REDACTED]";

/// Registered values shorter than this are not redacted as free text: a
/// two-letter "secret" would shred every message. Shape-based rules still apply.
const MIN_REGISTERED_LEN: usize = 4;

static REGISTERED: LazyLock<RwLock<BTreeSet<String>>> =
    LazyLock::new(|| RwLock::new(BTreeSet::new()));

/// Field names whose values are secret in forms, JSON bodies, query strings
/// and headers.
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

struct Rule {
    pattern: Regex,
    replacement: &'static str,
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let fields = SECRET_FIELDS.join("|");
    vec![
        // JSON string fields: "client_secret": "..."
        Rule {
            pattern: Regex::new(&format!(r#"("(?:{fields})"\s*:\s*")(?:[^"\\]|\\.)*(")"#))
                .expect("static regex"),
            replacement: "${1}[REDACTED]${2}",
        },
        // Form and query fields: client_secret=...
        Rule {
            pattern: Regex::new(&format!(r"(\b(?:{fields})=)[^&\s#]+")).expect("static regex"),
            replacement: "${1}[REDACTED]",
        },
        // JWTs anywhere (header.payload.signature, base64url, header starts `eyJ`).
        Rule {
            pattern: Regex::new(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
                .expect("static regex"),
            replacement: "[JWT]",
        },
    ]
});

/// `Basic <credentials>` / `Bearer <token>`, as in an Authorization header.
static AUTHORIZATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(basic|bearer)(\s+)([A-Za-z0-9._~+/=-]{6,})").expect("static regex")
});

/// Whether the word after `Basic`/`Bearer` is a credential and not prose
/// ("a Basic challenge", "Bearer instead"): credentials are long, or carry
/// an upper-case letter, a digit or a symbol.
fn looks_like_credential(word: &str) -> bool {
    word.len() >= 20 || word.chars().any(|c| !c.is_ascii_lowercase())
}

/// Registers a secret so that [`redact`] replaces it wherever it appears,
/// including its form-urlencoded and percent-encoded spellings.
pub fn register_secret(value: &str) {
    if value.chars().count() < MIN_REGISTERED_LEN {
        return;
    }
    let form: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let percent = percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    let mut set = REGISTERED.write().unwrap_or_else(|e| e.into_inner());
    set.insert(value.to_owned());
    set.insert(form);
    set.insert(percent);
}

/// Replaces every registered secret and every secret-shaped value in `text`.
pub fn redact(text: &str) -> String {
    let mut out = text.to_owned();
    {
        let set = REGISTERED.read().unwrap_or_else(|e| e.into_inner());
        // Longest first, so a secret that contains another is replaced whole.
        let mut values: Vec<&String> = set.iter().collect();
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        for value in values {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), REDACTED);
            }
        }
    }
    for rule in RULES.iter() {
        out = rule
            .pattern
            .replace_all(&out, rule.replacement)
            .into_owned();
    }
    let text = out.clone();
    AUTHORIZATION
        .replace_all(&out, |caps: &regex::Captures| {
            // `Bearer error="invalid_token"` is a challenge's auth-param.
            let end = caps.get(0).map_or(0, |m| m.end());
            let is_auth_param = caps[3].ends_with('=') && text[end..].starts_with('"');
            if looks_like_credential(&caps[3]) && !is_auth_param {
                format!("{}{}{REDACTED}", &caps[1], &caps[2])
            } else {
                caps[0].to_owned()
            }
        })
        .into_owned()
}

/// Whether `text` holds any of `needles` (an empty needle never counts):
/// how tests and leak checks ask "did this secret get out?".
pub fn contains_any(text: &str, needles: &[String]) -> bool {
    needles
        .iter()
        .any(|n| !n.is_empty() && text.contains(n.as_str()))
}

/// The first `max` bytes of a body, lossily decoded and redacted: what an
/// error message may show of a server's answer.
pub fn preview(body: &[u8], max: usize) -> String {
    let cut = &body[..body.len().min(max)];
    let text = String::from_utf8_lossy(cut);
    let mut shown = redact(&text);
    if body.len() > max {
        shown.push('…');
    }
    shown
}

/// An `io::Write` that redacts line by line before passing text on, so a
/// writer we do not control (cucumber's terminal output) cannot leak.
pub struct RedactingWriter<W: std::io::Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: std::io::Write> RedactingWriter<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            pending: Vec::new(),
        }
    }

    fn emit(&mut self, upto: usize) -> std::io::Result<()> {
        let chunk: Vec<u8> = self.pending.drain(..upto).collect();
        let text = String::from_utf8_lossy(&chunk);
        self.inner.write_all(redact(&text).as_bytes())
    }
}

impl<W: std::io::Write> std::io::Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(last_newline) = self.pending.iter().rposition(|b| *b == b'\n') {
            self.emit(last_newline + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let len = self.pending.len();
        if len > 0 {
            self.emit(len)?;
        }
        self.inner.flush()
    }
}

impl<W: std::io::Write> Drop for RedactingWriter<W> {
    fn drop(&mut self) {
        let _ = std::io::Write::flush(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn registered_secret_and_its_encodings_are_replaced() {
        register_secret("unit-test s3cr3t:value");
        let text = "a unit-test s3cr3t:value b unit-test+s3cr3t%3Avalue c";
        let out = redact(text);
        assert!(!out.contains("s3cr3t"), "{out}");
    }

    #[test]
    fn secret_fields_are_replaced_in_json_forms_and_headers() {
        let out = redact(r#"{"access_token": "abc123xyz", "token_type": "Bearer"}"#);
        assert_eq!(
            out,
            r#"{"access_token": "[REDACTED]", "token_type": "Bearer"}"#
        );
        let out = redact("grant_type=refresh_token&refresh_token=r1r2r3&client_secret=zz");
        assert_eq!(
            out,
            "grant_type=refresh_token&refresh_token=[REDACTED]&client_secret=[REDACTED]"
        );
        assert_eq!(
            redact("Authorization: Basic dXNlcjpwYXNz"),
            "Authorization: Basic [REDACTED]"
        );
        assert_eq!(redact("Bearer abc123defg"), "Bearer [REDACTED]");
        assert_eq!(
            redact("Bearer abcdefghijklmnopqrstuvwxyz"),
            "Bearer [REDACTED]"
        );
        // Challenges and prose about schemes stay readable.
        assert_eq!(
            redact(r#"WWW-Authenticate: Bearer error="invalid_token""#),
            r#"WWW-Authenticate: Bearer error="invalid_token""#
        );
        assert_eq!(
            redact("a Basic challenge, Bearer instead of Basic"),
            "a Basic challenge, Bearer instead of Basic"
        );
    }

    #[test]
    fn jwts_are_replaced_even_when_unregistered() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature-1";
        assert_eq!(redact(&format!("token {jwt} end")), "token [JWT] end");
    }

    #[test]
    fn short_values_are_not_registered() {
        register_secret("ab");
        assert_eq!(redact("abc ab"), "abc ab");
    }

    #[test]
    fn preview_cuts_and_redacts() {
        let body = br#"{"access_token":"tok-tok-tok"} and more text"#;
        let shown = preview(body, 30);
        assert_eq!(shown, r#"{"access_token":"[REDACTED]"}…"#);
    }

    #[test]
    fn redacting_writer_redacts_whole_lines_even_when_split() {
        register_secret("split-secret-value");
        let mut buf = Vec::new();
        {
            let mut w = RedactingWriter::new(&mut buf);
            w.write_all(b"one split-se").unwrap();
            w.write_all(b"cret-value two\nthree").unwrap();
            w.flush().unwrap();
        }
        let out = String::from_utf8(buf).unwrap();
        assert_eq!(out, "one [REDACTED] two\nthree");
    }
}
