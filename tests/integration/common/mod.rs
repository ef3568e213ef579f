//! What the tests share: every encoding a secret can reach a server's
//! answer in, and a loopback server that echoes requests back.
#![allow(dead_code)]

pub mod cli;
pub mod echo;
pub mod html;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Encoding {
    Raw,
    Form,
    PercentUpper,
    PercentLower,
    Basic,
    BasicUnencoded,
    BasicHeader,
    HtmlNamed,
    HtmlDecimal,
    HtmlHex,
    Json,
    JsonAscii,
    JsonSlash,
    Debug,
    DebugOfJson,
}

pub const ENCODINGS: [Encoding; 15] = [
    Encoding::Raw,
    Encoding::Form,
    Encoding::PercentUpper,
    Encoding::PercentLower,
    Encoding::Basic,
    Encoding::BasicUnencoded,
    Encoding::BasicHeader,
    Encoding::HtmlNamed,
    Encoding::HtmlDecimal,
    Encoding::HtmlHex,
    Encoding::Json,
    Encoding::JsonAscii,
    Encoding::JsonSlash,
    Encoding::Debug,
    Encoding::DebugOfJson,
];

impl Encoding {
    /// Only a client secret travels as the base64 of `id:secret`.
    pub fn is_basic(self) -> bool {
        matches!(self, Self::Basic | Self::BasicUnencoded | Self::BasicHeader)
    }
}

pub fn form(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

pub fn json_inner(v: &str) -> String {
    let s = serde_json::to_string(v).unwrap();
    s[1..s.len() - 1].to_owned()
}

pub fn debug_inner(v: &str) -> String {
    let s = format!("{v:?}");
    s[1..s.len() - 1].to_owned()
}

/// `value` as it reaches a server's answer in `encoding` (`id` for Basic).
pub fn encode(encoding: Encoding, value: &str, id: &str) -> String {
    match encoding {
        Encoding::Raw => value.to_owned(),
        Encoding::Form => form(value),
        Encoding::PercentUpper => utf8_percent_encode(value, NON_ALPHANUMERIC).to_string(),
        Encoding::PercentLower => {
            let upper = utf8_percent_encode(value, NON_ALPHANUMERIC).to_string();
            let mut out = String::new();
            let mut hex = 0usize;
            for c in upper.chars() {
                out.push(if hex > 0 { c.to_ascii_lowercase() } else { c });
                hex = if c == '%' { 2 } else { hex.saturating_sub(1) };
            }
            out
        }
        Encoding::Basic => STANDARD.encode(format!("{}:{}", form(id), form(value))),
        Encoding::BasicUnencoded => STANDARD.encode(format!("{id}:{value}")),
        Encoding::BasicHeader => format!("Basic {}", encode(Encoding::Basic, value, id)),
        Encoding::HtmlNamed => value
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#x27;"),
        Encoding::HtmlDecimal => value
            .chars()
            .map(|c| match c {
                c if c.is_ascii_alphanumeric() => c.to_string(),
                c => format!("&#{};", c as u32),
            })
            .collect(),
        Encoding::HtmlHex => value
            .chars()
            .map(|c| match c {
                c if c.is_alphanumeric() => c.to_string(),
                c => format!("&#x{:X};", c as u32),
            })
            .collect(),
        Encoding::Json => json_inner(value),
        Encoding::JsonAscii => value
            .encode_utf16()
            .map(|u| match char::from_u32(u.into()) {
                Some(c) if c == ' ' || (c.is_ascii_graphic() && c != '"' && c != '\\') => {
                    c.to_string()
                }
                _ => format!("\\u{u:04x}"),
            })
            .collect(),
        Encoding::JsonSlash => json_inner(value).replace('/', "\\/"),
        Encoding::Debug => debug_inner(value),
        Encoding::DebugOfJson => debug_inner(&json_inner(value)),
    }
}

/// Every encoding of `value` (the Basic ones only with `id`): none may
/// appear in any output.
pub fn spellings(value: &str, id: Option<&str>) -> Vec<String> {
    ENCODINGS
        .iter()
        .filter(|e| id.is_some() || !e.is_basic())
        .map(|e| {
            let spelled = encode(*e, value, id.unwrap_or_default());
            spelled.trim_start_matches("Basic ").to_owned()
        })
        .collect()
}
