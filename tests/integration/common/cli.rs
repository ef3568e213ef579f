//! Running the CLI binary as a user would, but in isolation: none of the
//! caller's OAUTH_CONFORMANCE_* settings or cucumber tag filter leak in.

use std::path::Path;
use std::process::{Command, Output};

use oauth_conformance::client::ClientCredentials;

/// The CLI in `cwd`, without any OAUTH_CONFORMANCE_* of the caller's shell
/// (a developer may have a sandbox exported), plus `env`.
pub fn cli_in(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_oauth-conformance"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("CUCUMBER_FILTER_TAGS");
    for (name, _) in std::env::vars() {
        if name.starts_with("OAUTH_CONFORMANCE_") {
            cmd.env_remove(name);
        }
    }
    cmd.envs(env.iter().copied());
    cmd.output().expect("the CLI binary runs")
}

/// [`cli_in`] in the crate's own directory.
pub fn cli(args: &[&str], env: &[(&str, String)]) -> Output {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    cli_in(args, manifest_dir(), &env)
}

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Standard output then standard error, as text.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Writes `features/<name>` under `dir`.
pub fn write_feature(dir: &Path, name: &str, body: &str) {
    std::fs::create_dir_all(dir.join("features")).unwrap();
    std::fs::write(dir.join("features").join(name), body).unwrap();
}

/// The closing "N passed, N failed, N skipped, N not run" line, as numbers.
pub fn counts(shown: &str) -> [usize; 4] {
    let line = shown
        .lines()
        .rev()
        .find(|l| l.contains(" passed, ") && l.contains(" not run"))
        .unwrap_or_else(|| panic!("no closing line in:\n{shown}"));
    let numbers: Vec<usize> = line
        .split(", ")
        .map(|part| part.split(' ').next().unwrap().parse().unwrap())
        .collect();
    [numbers[0], numbers[1], numbers[2], numbers[3]]
}

/// The identities a run against a server is given, as a user sets them.
pub struct Identities<'a> {
    pub client: &'a ClientCredentials,
    pub second: &'a ClientCredentials,
    pub restricted: &'a ClientCredentials,
    pub redirect_uri: &'a str,
    pub username: &'a str,
    pub password: &'a str,
}

/// `OAUTH_CONFORMANCE_TARGET` and every identity's variables.
pub fn sandbox_env(target: &url::Url, ids: &Identities) -> Vec<(&'static str, String)> {
    vec![
        ("OAUTH_CONFORMANCE_TARGET", target.to_string()),
        ("OAUTH_CONFORMANCE_CLIENT_ID", ids.client.id.clone()),
        (
            "OAUTH_CONFORMANCE_CLIENT_SECRET",
            ids.client.secret.expose().to_owned(),
        ),
        ("OAUTH_CONFORMANCE_SECOND_CLIENT_ID", ids.second.id.clone()),
        (
            "OAUTH_CONFORMANCE_SECOND_CLIENT_SECRET",
            ids.second.secret.expose().to_owned(),
        ),
        (
            "OAUTH_CONFORMANCE_RESTRICTED_CLIENT_ID",
            ids.restricted.id.clone(),
        ),
        (
            "OAUTH_CONFORMANCE_RESTRICTED_CLIENT_SECRET",
            ids.restricted.secret.expose().to_owned(),
        ),
        (
            "OAUTH_CONFORMANCE_REDIRECT_URI",
            ids.redirect_uri.to_owned(),
        ),
        (
            "OAUTH_CONFORMANCE_HTTP_REDIRECT_URI",
            oauth_conformance::mock::MOCK_HTTP_REDIRECT_URI.to_owned(),
        ),
        ("OAUTH_CONFORMANCE_USERNAME", ids.username.to_owned()),
        ("OAUTH_CONFORMANCE_PASSWORD", ids.password.to_owned()),
    ]
}
