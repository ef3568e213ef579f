//! Running the CLI binary as a user would, but in isolation: none of the
//! caller's OAUTH_CONFORMANCE_* settings or cucumber tag filter leak in.

use std::process::{Command, Output};

/// The CLI without any OAUTH_CONFORMANCE_* of the caller's shell, plus `env`.
pub fn cli(args: &[&str], env: &[(&str, String)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_oauth-conformance"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CUCUMBER_FILTER_TAGS");
    for (name, _) in std::env::vars() {
        if name.starts_with("OAUTH_CONFORMANCE_") {
            cmd.env_remove(name);
        }
    }
    cmd.envs(env.iter().map(|(k, v)| (k, v)));
    cmd.output().expect("the CLI binary runs")
}

/// Standard output then standard error, as text.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
