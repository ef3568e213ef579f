//! One `oauth-conformance serve` session, as the CLI runs it: start the
//! double, say what a client needs (and write it with `--env-file`), run the
//! client command if there is one, stop on Ctrl-C, SIGTERM, `--for` or the
//! command's exit, then report.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};

use crate::profile::Profile;
use crate::redact::redact;
use crate::report::outputs::Outputs;
use crate::sandbox::{Setting, TargetSettings};

use super::{ProviderDouble, ServeOptions};

/// What the command line asked for.
#[derive(Clone, Debug, Default)]
pub struct SessionArgs {
    pub profile: String,
    pub port: u16,
    pub json: Option<PathBuf>,
    pub junit: Option<PathBuf>,
    pub html: Option<PathBuf>,
    pub env_file: Option<PathBuf>,
    pub redirect_uris: Vec<String>,
    pub for_s: Option<u64>,
    pub faults: Vec<String>,
    pub strict: bool,
    /// The client command and its arguments (empty: none).
    pub command: Vec<String>,
}

/// Runs the session: 0 when no binding client check failed and the command
/// (if any) succeeded; 1 when a check failed; the command's own status when
/// only it failed (1 if a signal ended it); 2 when the session could not
/// start.
pub fn run(args: SessionArgs) -> ExitCode {
    let profile = match Profile::load(&args.profile) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {}", redact(&e.to_string()));
            return ExitCode::from(2);
        }
    };
    let settings = match TargetSettings::from_env(None) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {}", redact(&e.to_string()));
            return ExitCode::from(2);
        }
    };
    let outputs = match Outputs::create(&args.junit, &args.json, &args.html) {
        Ok(outputs) => outputs,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let mut options = ServeOptions::from_settings(&settings);
    options.port = args.port;
    options
        .redirect_uris
        .extend(args.redirect_uris.iter().cloned());
    options.faults = args.faults.clone();
    let started_at = crate::report::now_rfc3339();
    let started = Instant::now();
    let outcome = runtime.block_on(async {
        let mut double = match ProviderDouble::start_with(&profile, options).await {
            Ok(d) => d,
            Err(e) => return Err(redact(&e.to_string())),
        };
        print!("{}", announcement(&double, args.env_file.as_ref()));
        let _ = std::io::stdout().flush();
        if let Some(path) = &args.env_file
            && let Err(e) = write_env_file(path, &double)
        {
            return Err(format!("cannot write --env-file {}: {e}", path.display()));
        }
        let command = wait(&double, &args).await;
        double.stop().await;
        Ok((double.report(), command))
    });
    let (report, command) = match outcome {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            outputs.discard();
            return ExitCode::from(2);
        }
    };
    print!("{}", report.summary_text(args.strict));
    let run_report = report.to_run_report(started_at, started.elapsed(), args.strict);
    let (_, written) = outputs.write(&run_report);
    let failures = report.binding_failures(args.strict);
    if !failures.is_empty() {
        let ids: Vec<&str> = failures.iter().map(|c| c.outcome.check.id).collect();
        eprintln!("the client failed: {}", ids.join(", "));
        return ExitCode::from(1);
    }
    match command {
        CommandEnd::Failed(code) => {
            eprintln!("the client command failed (exit status {code})");
            ExitCode::from(code)
        }
        CommandEnd::NotStarted(e) => {
            eprintln!("error: cannot run the client command: {e}");
            ExitCode::from(2)
        }
        _ if !written => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    }
}

/// How the session ended, as far as the command goes.
enum CommandEnd {
    None,
    Succeeded,
    /// Its exit status (1 when a signal ended it).
    Failed(u8),
    NotStarted(String),
}

/// What a client needs, without a secret: those are in `--env-file` and the
/// command's environment.
fn announcement(double: &ProviderDouble, env_file: Option<&PathBuf>) -> String {
    let identity = double.identity();
    let mut out = format!(
        "serve: profile {} listening on {}\n",
        double.profile().name,
        double.base_url()
    );
    for (name, url) in double.endpoints() {
        out.push_str(&format!("  {name:<19} {url}\n"));
    }
    let secrets_at = match env_file {
        Some(p) => format!("in {}", p.display()),
        None => "not shown (secrets never appear in output): pass --env-file F, or set the variable yourself".to_owned(),
    };
    out.push_str(&format!("  client_id           {}\n", identity.client.id));
    out.push_str(&format!(
        "  client_secret       {} ({})\n",
        secrets_at,
        Setting::ClientSecret.variable()
    ));
    out.push_str(&format!("  username            {}\n", identity.username));
    out.push_str(&format!(
        "  password            {} ({})\n",
        secrets_at,
        Setting::Password.variable()
    ));
    for uri in &identity.redirect_uris {
        out.push_str(&format!("  redirect_uri        {uri}\n"));
    }
    redact(&out)
}

/// The variables a client (and a later `run --target`) reads.
pub fn variables(double: &ProviderDouble) -> Vec<(String, String)> {
    let identity = double.identity();
    let mut vars = vec![
        (Setting::Target, double.base_url().to_string()),
        (Setting::Profile, double.profile().name.clone()),
        (Setting::ClientId, identity.client.id.clone()),
        (
            Setting::ClientSecret,
            identity.client.secret.expose().to_owned(),
        ),
        (Setting::Username, identity.username.clone()),
        (Setting::Password, identity.password.expose().to_owned()),
    ]
    .into_iter()
    .map(|(s, v)| (s.variable().to_owned(), v))
    .collect::<Vec<_>>();
    if let Some(uri) = identity.redirect_uris.first() {
        vars.push((Setting::RedirectUri.variable().to_owned(), uri.clone()));
    }
    // For the suite's own run against this server only (README, serve).
    vars.push((
        crate::client::wire_mark::KEY_VARIABLE.to_owned(),
        double.probe_key().expose().to_owned(),
    ));
    for (name, url) in double.endpoints() {
        vars.push((
            format!("OAUTH_CONFORMANCE_{}_URL", name.to_ascii_uppercase()),
            url,
        ));
    }
    vars
}

fn write_env_file(path: &PathBuf, double: &ProviderDouble) -> std::io::Result<()> {
    let mut text =
        String::from("# Written by oauth-conformance serve: KEY=value, secrets included.\n");
    for (k, v) in variables(double) {
        text.push_str(&format!("{k}={v}\n"));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}

/// Waits for the first of: Ctrl-C, SIGTERM, `--for`, the command's exit.
async fn wait(double: &ProviderDouble, args: &SessionArgs) -> CommandEnd {
    let limit = async {
        match args.for_s {
            Some(s) => tokio::time::sleep(Duration::from_secs(s)).await,
            None => std::future::pending().await,
        }
    };
    let terminate = async {
        #[cfg(unix)]
        {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    };
    let command = async {
        if args.command.is_empty() {
            return std::future::pending::<CommandEnd>().await;
        }
        run_command(double, &args.command).await
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => CommandEnd::None,
        _ = terminate => CommandEnd::None,
        _ = limit => CommandEnd::None,
        end = command => end,
    }
}

/// Runs the client command with the variables set, its output redacted line
/// by line on the way to ours.
async fn run_command(double: &ProviderDouble, command: &[String]) -> CommandEnd {
    let mut child = match tokio::process::Command::new(&command[0])
        .args(&command[1..])
        .envs(variables(double))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return CommandEnd::NotStarted(format!("{}: {e}", command[0])),
    };
    let out = child.stdout.take().map(|s| {
        tokio::spawn(async move {
            let mut lines = BufReader::new(s).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                println!("{}", redact(&line));
            }
        })
    });
    let err = child.stderr.take().map(|s| {
        tokio::spawn(async move {
            let mut lines = BufReader::new(s).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                eprintln!("{}", redact(&line));
            }
        })
    });
    let status = child.wait().await;
    for task in [out, err].into_iter().flatten() {
        let _ = task.await;
    }
    match status {
        Ok(s) if s.success() => CommandEnd::Succeeded,
        Ok(s) => CommandEnd::Failed(
            s.code()
                .and_then(|c| u8::try_from(c).ok())
                .filter(|c| *c != 0)
                .unwrap_or(1),
        ),
        Err(e) => CommandEnd::NotStarted(e.to_string()),
    }
}
