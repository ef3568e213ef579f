//! Running the CLI binary as a user would, but in isolation: none of the
//! caller's OAUTH_CONFORMANCE_* settings or cucumber tag filter leak in.

use std::path::Path;
use std::process::{Command, Output};

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
