//! Benchmark: redacting a megabyte of report text with ten registered
//! secrets.
//!
//! A report is built from fields (bodies, messages, headers), each redacted
//! on its own; a server that echoes what it gets can fill every one of them
//! with secrets, whole or with a character changed. This redacts 1 MiB of
//! text shaped five ways: as 1,024 fields of 1 KiB echoing the secrets
//! (some changed, some percent-encoded), as one 1 MiB field of the same,
//! as 1 MiB of prose with no secret, as 1 MiB made only of secrets (every
//! position a hit), as 1 MiB percent-encoded (every decoded view works),
//! and 1 MiB of one repeated letter against a secret of that letter (a
//! search that re-reads each match from every position is quadratic there).
//! Prints figures; asserts only that no secret is left. Not a test: timings
//! are printed, never asserted.
//!
//!     cargo bench --bench redaction

use std::process::ExitCode;
use std::time::{Duration, Instant};

use oauth_conformance::redact::{field, register_client_credentials, register_secret};

const MIB: usize = 1024 * 1024;
/// A sandbox's client id; the password starts like it.
const CLIENT_ID: &str = "conformance-ac-client";
const ROUNDS: usize = 5;

/// A fixed pseudo-random sequence, so every run redacts the same text.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn token(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..len)
            .map(|_| ALPHABET[self.next() as usize % ALPHABET.len()] as char)
            .collect()
    }
}

/// The ten secrets of a run: a client secret, a password, six opaque
/// tokens, a refresh token and a JWT.
fn secrets(rng: &mut Lcg) -> Vec<String> {
    let mut all = vec![
        format!("sbx-ac1-{}", rng.token(48)),
        format!("conformance-pass-{}", rng.token(20)),
    ];
    all.extend((0..7).map(|_| rng.token(43)));
    all.push(format!(
        "eyJhbGciOiJSUzI1NiJ9.eyJ{}.{}",
        rng.token(300),
        rng.token(342)
    ));
    all
}

/// `secret` with one character (not the first or last) changed.
fn mutated(secret: &str, rng: &mut Lcg) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let at = 1 + rng.next() as usize % (chars.len() - 2);
    let mut out: String = chars[..at].iter().collect();
    out.push(if chars[at] == '~' { '!' } else { '~' });
    out.extend(&chars[at + 1..]);
    out
}

fn percent(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// One field of about 1 KiB: a JSON error page echoing two secrets, one of
/// them changed, and one of them percent-encoded.
fn echo_field(secrets: &[String], rng: &mut Lcg) -> String {
    let a = &secrets[rng.next() as usize % secrets.len()];
    let b = &secrets[rng.next() as usize % secrets.len()];
    let mut text = format!(
        "{{\"error\":\"invalid_client\",\"error_description\":\"you sent {} and {}, \
         then {} to POST /api/o/token/\",\"echo\":\"",
        percent(&mutated(a, rng)),
        b,
        mutated(b, rng),
    );
    while text.len() < 1000 {
        text.push_str("the server echoes what it got ");
    }
    text.push_str("\"}");
    text
}

/// `ROUNDS` runs of `f`: the best and the median.
fn time(mut f: impl FnMut()) -> (Duration, Duration) {
    let mut took: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    took.sort();
    (took[0], took[ROUNDS / 2])
}

fn report(what: &str, bytes: usize, (best, median): (Duration, Duration)) {
    let mib = bytes as f64 / MIB as f64;
    println!("  {what:<44} {mib:>5.2} MiB  best {best:>10.3?}  median {median:>10.3?}");
}

/// Whether `shown` holds 8 characters in a row of any of `secrets` that
/// the client id does not hold too (those are left: the id is shown).
fn leaks(shown: &str, secrets: &[String]) -> Option<String> {
    for s in secrets {
        let chars: Vec<char> = s.chars().collect();
        for w in chars.windows(8) {
            let run: String = w.iter().collect();
            if shown.contains(&run) && !CLIENT_ID.contains(&run) {
                return Some(run);
            }
        }
    }
    None
}

fn main() -> ExitCode {
    let mut rng = Lcg(26);
    let secrets = secrets(&mut rng);
    register_client_credentials(CLIENT_ID, &secrets[0]);
    for s in &secrets[1..] {
        register_secret(s);
    }
    println!(
        "redacting with {} registered secrets, {ROUNDS} rounds:",
        secrets.len()
    );

    let fields: Vec<String> = (0..MIB / 1024)
        .map(|_| echo_field(&secrets, &mut rng))
        .collect();
    let total: usize = fields.iter().map(String::len).sum();
    let mut out = Vec::new();
    report(
        "1,024 fields of 1 KiB echoing secrets",
        total,
        time(|| out = fields.iter().map(|f| field(f)).collect()),
    );
    let joined = out.join("\n");

    let one = fields.concat();
    let mut shown = String::new();
    report(
        "one field of the same",
        one.len(),
        time(|| shown = field(&one)),
    );

    let prose = "The server answered 400 with an HTML page. ".repeat(MIB / 43);
    report(
        "one field of prose, no secret",
        prose.len(),
        time(|| {
            std::hint::black_box(field(&prose));
        }),
    );

    let mut dense = String::new();
    while dense.len() < MIB {
        let s = &secrets[rng.next() as usize % secrets.len()];
        dense.push_str(&mutated(s, &mut rng));
        dense.push(' ');
    }
    let mut dense_shown = String::new();
    report(
        "one field made only of changed secrets",
        dense.len(),
        time(|| dense_shown = field(&dense)),
    );

    let encoded = percent(&one[..MIB / 3]);
    report(
        "one field, percent-encoded echoes",
        encoded.len(),
        time(|| {
            std::hint::black_box(field(&encoded));
        }),
    );

    let mut leaked = false;
    for (what, text) in [
        ("1,024 fields", &joined),
        ("one field", &shown),
        ("only secrets", &dense_shown),
    ] {
        if let Some(run) = leaks(text, &secrets) {
            eprintln!("{what}: 8 characters of a secret are left: {run:?}");
            leaked = true;
        }
    }

    // Last: this secret is made of the one letter the text is made of.
    register_secret(&"a".repeat(40));
    let letters = "a".repeat(MIB);
    report(
        "1 MiB of \"a\", a secret of 40 \"a\"s",
        letters.len(),
        time(|| {
            std::hint::black_box(field(&letters));
        }),
    );
    if leaked {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
