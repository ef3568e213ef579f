//! Reading `WWW-Authenticate` challenges (RFC 9110 §11.6.1, RFC 6750 §3).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

/// One challenge: its scheme and its auth-params (names lower-cased).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    pub scheme: String,
    pub params: BTreeMap<String, String>,
}

static PARAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z0-9_!#$%&'*+.^`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))"#)
        .expect("static regex")
});

impl Challenge {
    pub fn is(&self, scheme: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(scheme)
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// Parses one header value. Only the first challenge of a value is read; a
/// server that sends several schemes sends several headers in practice.
pub fn parse(value: &str) -> Option<Challenge> {
    let value = value.trim();
    let (scheme, rest) = match value.split_once(char::is_whitespace) {
        Some((s, r)) => (s, r),
        None => (value, ""),
    };
    if scheme.is_empty() {
        return None;
    }
    let params = PARAM
        .captures_iter(rest)
        .map(|c| {
            let name = c[1].to_ascii_lowercase();
            let value = c
                .get(2)
                .or_else(|| c.get(3))
                .map(|m| m.as_str().replace("\\\"", "\""))
                .unwrap_or_default();
            (name, value)
        })
        .collect();
    Some(Challenge {
        scheme: scheme.to_owned(),
        params,
    })
}

/// Every challenge in every header value given.
pub fn parse_all<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<Challenge> {
    values.into_iter().filter_map(parse).collect()
}

/// How often each attribute appears in the Bearer challenge of one header
/// value (lower-cased names), or `None` when the value is not a Bearer
/// challenge. Unlike [`parse`], repeats are counted, not merged.
pub fn bearer_attribute_counts(value: &str) -> Option<BTreeMap<String, usize>> {
    let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut counts = BTreeMap::new();
    for caps in PARAM.captures_iter(rest) {
        *counts.entry(caps[1].to_ascii_lowercase()).or_insert(0) += 1;
    }
    Some(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_repeated_attributes_of_a_bearer_challenge() {
        let counts =
            bearer_attribute_counts(r#"Bearer realm="a", error="invalid_token", realm="a""#)
                .unwrap();
        assert_eq!((counts["realm"], counts["error"]), (2, 1));
        let quoted =
            bearer_attribute_counts(r#"Bearer realm="a", error_description="realm=b""#).unwrap();
        assert_eq!(quoted["realm"], 1, "a quoted value is not an attribute");
        assert!(bearer_attribute_counts(r#"Basic realm="a""#).is_none());
    }

    #[test]
    fn parses_bearer_with_error() {
        let c = parse(r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#).unwrap();
        assert!(c.is("bearer"));
        assert_eq!(c.param("error"), Some("invalid_token"));
        assert_eq!(c.param("realm"), Some("example"));
        assert_eq!(
            c.param("error_description"),
            Some("The access token expired")
        );
    }

    #[test]
    fn parses_bare_scheme_and_token_params() {
        assert_eq!(parse("Bearer").unwrap().params.len(), 0);
        let c = parse("Basic realm=api").unwrap();
        assert_eq!(c.param("REALM"), Some("api"));
        assert!(parse("  ").is_none());
    }
}
