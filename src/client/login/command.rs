//! The login done by a program the user gives: for pages neither the HTML
//! reader nor the browser can drive (a second factor, a login API of the
//! provider's own, a browser automation script written for that provider).
//!
//! The contract. The suite runs the program (`authorization_code.login.
//! command = ["path", "arg", ...]`, else the path in
//! `OAUTH_CONFORMANCE_LOGIN_COMMAND`) with standard input closed and, in its
//! environment (every other `OAUTH_CONFORMANCE_*` variable removed, so no
//! client secret reaches it):
//!
//! | variable | value |
//! |---|---|
//! | `OAUTH_CONFORMANCE_LOGIN_URL` | the authorization URL to open |
//! | `OAUTH_CONFORMANCE_REDIRECT_URI` | where the login ends; never load it |
//! | `OAUTH_CONFORMANCE_USERNAME`, `OAUTH_CONFORMANCE_PASSWORD` | the user (the password is a wrong one when the intent says so) |
//! | `OAUTH_CONFORMANCE_LOGIN_INTENT` | `approve`, `deny` or `wrong-password` |
//! | `OAUTH_CONFORMANCE_ACCOUNT` | the account to choose, when the scenario picks one |
//!
//! Its last line on standard output is the URL the server finally
//! redirected to (under the redirect URI, with `code` or `error`), the
//! word `refused` when the server refused the login (its login form came
//! back, or a 4xx answered the password), `no-account` when the account it
//! was to choose is not offered, or `error <status>` when the server
//! answered an error page instead of a login page or a redirect. The suite judges that URL as it judges the driver's. A non-zero
//! exit, no such line, or a run longer than the run's `--timeout` (the
//! program and everything it started are killed) is *not run*, with the
//! program's last lines, redacted.

use std::process::Stdio;

use tokio::io::AsyncReadExt;

use super::{Decided, Decision, Journey, Login, LoginError, UserLogin};
use crate::profile::LoginSettings;
use crate::redact::redact;

/// The variable that names a login command when the profile has none.
pub const COMMAND_VARIABLE: &str = "OAUTH_CONFORMANCE_LOGIN_COMMAND";
/// The line a command prints when the server refused the login.
pub const REFUSED: &str = "refused";
/// The line a command prints when the account it was asked to choose is
/// not offered.
pub const NO_ACCOUNT: &str = "no-account";
/// The start of the line a command prints when the server answered an
/// error page (`error 403`).
pub const ERROR_PAGE: &str = "error ";
/// Lines of the command's output a not-run message shows.
const SHOWN_LINES: usize = 5;
/// Bytes of each output stream kept (the tail).
const KEPT_BYTES: usize = 16 * 1024;

/// A login command and where it was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginCommand {
    pub argv: Vec<String>,
    /// "authorization_code.login.command" or the variable's name.
    pub given_by: &'static str,
}

impl LoginCommand {
    /// The profile's command, else the one `env` gives for
    /// [`COMMAND_VARIABLE`].
    pub fn configured(
        settings: &LoginSettings,
        env: impl Fn(&str) -> Option<String>,
    ) -> Option<Self> {
        if !settings.command.is_empty() {
            return Some(Self {
                argv: settings.command.clone(),
                given_by: "authorization_code.login.command",
            });
        }
        env(COMMAND_VARIABLE)
            .filter(|p| !p.trim().is_empty())
            .map(|path| Self {
                argv: vec![path],
                given_by: COMMAND_VARIABLE,
            })
    }

    fn program(&self) -> &str {
        self.argv.first().map(String::as_str).unwrap_or_default()
    }
}

/// What the scenario wants the command to do.
fn intent(decision: &Decision) -> &'static str {
    match decision {
        Decision::Deny => "deny",
        Decision::WrongPassword => "wrong-password",
        Decision::Approve { .. } | Decision::ForgeApproval(_) => "approve",
    }
}

/// Runs `command` for one login, within `limit`.
pub async fn run(
    command: &LoginCommand,
    login: &Login<'_>,
    journey: &mut Journey,
) -> Result<String, LoginError> {
    let (authorize_url, redirect_uri, user, decision, policy) = (
        login.authorize_url,
        login.redirect_uri,
        login.user,
        login.decision,
        &login.policy,
    );
    let limit = login.transport.limits().timeout;
    let shown_url = redact(authorize_url.as_str());
    let name = command.program().to_owned();
    let cannot = |why: String, seen: String| LoginError::CannotDrive {
        url: shown_url.clone(),
        status: 0,
        why,
        seen,
    };
    if let Decision::ForgeApproval(_) = decision {
        return Err(LoginError::NotWithCommand {
            why: format!(
                "the login command ({}) does the login, so the suite has no consent form to post as another site would",
                command.given_by
            ),
        });
    }
    let mut cmd = tokio::process::Command::new(command.program());
    cmd.args(&command.argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .process_group(0);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("OAUTH_CONFORMANCE_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("OAUTH_CONFORMANCE_LOGIN_URL", authorize_url.as_str())
        .env("OAUTH_CONFORMANCE_REDIRECT_URI", redirect_uri)
        .env("OAUTH_CONFORMANCE_USERNAME", &user.username)
        .env("OAUTH_CONFORMANCE_PASSWORD", user.password.expose())
        .env("OAUTH_CONFORMANCE_LOGIN_INTENT", intent(decision));
    if let Decision::Approve {
        account: Some(account),
    } = decision
    {
        cmd.env("OAUTH_CONFORMANCE_ACCOUNT", account);
    }
    let mut child = cmd.spawn().map_err(|e| {
        cannot(
            format!(
                "could not start the login command {name:?} ({}): {e}",
                command.given_by
            ),
            String::new(),
        )
    })?;
    let pid = child.id();
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let finished = async {
        let (out, err, status) = tokio::join!(
            read_tail(stdout.as_mut()),
            read_tail(stderr.as_mut()),
            child.wait()
        );
        (out, err, status)
    };
    let scrub = |text: &str| scrub(text, user);
    let (out, err, status) = match tokio::time::timeout(limit, finished).await {
        Ok(done) => done,
        Err(_) => {
            kill_group(pid);
            return Err(cannot(
                format!(
                    "the login command {name:?} did not finish within {limit:?} (the run's --timeout); it was stopped"
                ),
                String::new(),
            ));
        }
    };
    let last_lines = || last_lines(&out, &err, &scrub);
    let status = status.map_err(|e| {
        cannot(
            format!("the login command {name:?} failed: {e}"),
            last_lines(),
        )
    })?;
    if !status.success() {
        return Err(cannot(
            format!("the login command {name:?} exited with {status}"),
            last_lines(),
        ));
    }
    let last = out
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_owned();
    journey.command = Some(name.clone());
    journey.login_page = true;
    if last == REFUSED {
        journey
            .steps
            .push(format!("login command {name} -> the login was refused"));
        return Err(LoginError::LoginRefused {
            url: shown_url.clone(),
            status: 200,
        });
    }
    if last == NO_ACCOUNT
        && let Decision::Approve {
            account: Some(wanted),
        } = decision
    {
        journey.steps.push(format!(
            "login command {name} -> the account is not offered"
        ));
        return Err(LoginError::NoSuchAccount {
            url: shown_url.clone(),
            wanted: wanted.clone(),
            offered: Vec::new(),
        });
    }
    if let Some(status) = last
        .strip_prefix(ERROR_PAGE)
        .and_then(|s| s.trim().parse::<u16>().ok())
        .filter(|s| (400..600).contains(s))
    {
        journey
            .steps
            .push(format!("login command {name} -> an error page ({status})"));
        return Err(LoginError::ErrorPage {
            url: shown_url.clone(),
            status,
            described: format!("the login command {name} saw an error page"),
        });
    }
    let arrived = url::Url::parse(&last)
        .ok()
        .filter(|u| policy.arrived(u))
        .ok_or_else(|| {
            cannot(
                format!(
                    "the login command {name:?} printed no URL under the redirect URI {} as its last line (nor {REFUSED:?}, {NO_ACCOUNT:?} or \"error <status>\")",
                    redact(redirect_uri)
                ),
                last_lines(),
            )
        })?;
    let mut target = arrived.clone();
    target.set_query(None);
    target.set_fragment(None);
    journey
        .steps
        .push(redact(&format!("login command {name} -> {target}")));
    match decision {
        Decision::Approve { account } => {
            journey.accounts_offered = account.clone().map(|a| vec![a]);
            journey.decided = Some(decided(true, &shown_url, &name));
        }
        Decision::Deny => journey.decided = Some(decided(false, &shown_url, &name)),
        Decision::WrongPassword | Decision::ForgeApproval(_) => {}
    }
    Ok(arrived.to_string())
}

fn decided(approved: bool, url: &str, name: &str) -> Decided {
    Decided {
        approved,
        url: url.to_owned(),
        control: format!("the login command {name}"),
    }
}

/// Reads a stream to its end, keeping its last [`KEPT_BYTES`].
async fn read_tail(stream: Option<&mut (impl tokio::io::AsyncRead + Unpin)>) -> String {
    let Some(stream) = stream else {
        return String::new();
    };
    let mut kept: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; 4096];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
        kept.extend_from_slice(&buf[..n]);
        if kept.len() > 2 * KEPT_BYTES {
            kept.drain(..kept.len() - KEPT_BYTES);
        }
    }
    if kept.len() > KEPT_BYTES {
        kept.drain(..kept.len() - KEPT_BYTES);
    }
    String::from_utf8_lossy(&kept).into_owned()
}

/// The password (as typed, and as a form or URL would encode it) taken out
/// before the registered secrets are.
fn scrub(text: &str, user: &UserLogin) -> String {
    let password = user.password.expose();
    let mut text = text.to_owned();
    if !password.is_empty() {
        let encoded: String =
            form_urlencoded::byte_serialize(password.as_bytes()).collect::<String>();
        for form in [password.to_owned(), encoded] {
            text = text.replace(&form, "[REDACTED]");
        }
    }
    redact(&text)
}

/// "stdout: …; stderr: …", the last lines of each, redacted.
fn last_lines(out: &str, err: &str, scrub: &impl Fn(&str) -> String) -> String {
    let tail = |text: &str| {
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let start = lines.len().saturating_sub(SHOWN_LINES);
        scrub(&lines[start..].join(" | "))
    };
    let show = |t: String| if t.is_empty() { "(nothing)".into() } else { t };
    format!(
        "its last lines: stdout: {}; stderr: {}",
        show(tail(out)),
        show(tail(err))
    )
}

/// Kills the command's process group (it was started as its leader).
fn kill_group(pid: Option<u32>) {
    if let Some(pid) = pid.and_then(|p| i32::try_from(p).ok()) {
        // SAFETY: kill(2) with a negative pid signals the process group the
        // command leads; it touches no memory of ours.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}
