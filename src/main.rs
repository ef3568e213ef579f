//! `oauth-conformance`: run the conformance features from the command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use oauth_conformance::checks::catalogue;
use oauth_conformance::client::{ClientFault, Limits, Secret, wire_mark};
use oauth_conformance::coverage;
use oauth_conformance::discover;
use oauth_conformance::mock::LoginPages;
use oauth_conformance::profile::{self, Profile};
use oauth_conformance::redact::redact;
use oauth_conformance::report::outputs::{self, Outputs};
use oauth_conformance::report::{ReportFile, html, terminal};
use oauth_conformance::runner::{self, RunOptions};
use oauth_conformance::sandbox::{Setting, TargetSettings};

#[derive(Parser, Debug)]
#[command(
    name = "oauth-conformance",
    version,
    about = "Conformance suite for OAuth 2.0 token flows"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the features (against the embedded mock server, or --target) and report by source.
    Run(Box<RunArgs>),
    /// Write the features as documentation (one HTML page), without running anything.
    Docs(DocsArgs),
    /// List the built-in provider profiles.
    Profiles,
    /// Work with provider profiles: `profile discover URL --name NAME`.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// List every check with its level and source.
    Checks,
    /// The traceability matrix: each requirement of spec/requirements.toml,
    /// the checks that test it, the scenarios that judged them (a run against
    /// the mock) and the faults that prove them, with totals per RFC and level.
    Coverage(CoverageArgs),
    /// Serve the embedded mock as the profile's provider on 127.0.0.1 and
    /// judge the client that talks to it (faults and the clock on cue under
    /// /_conformance/; see README, "Test your own client").
    Serve(Box<ServeArgs>),
}

#[derive(clap::Args, Debug)]
struct ServeArgs {
    /// Built-in profile name or path to a profile .toml: the provider to be.
    #[arg(long, value_name = "NAME|PATH")]
    profile: String,
    /// The port on 127.0.0.1 (default: any free one).
    #[arg(long, value_name = "N", default_value_t = 0)]
    port: u16,
    /// Write the machine-readable results (JSON) here when the session stops.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write JUnit XML here when the session stops.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Write the HTML report here when the session stops.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Write what a client needs as KEY=value lines (OAUTH_CONFORMANCE_*,
    /// secrets included, mode 0600).
    #[arg(long, value_name = "FILE")]
    env_file: Option<PathBuf>,
    /// Register a redirect URI of your client (repeatable), besides
    /// OAUTH_CONFORMANCE_REDIRECT_URI.
    #[arg(long = "redirect-uri", value_name = "URI")]
    redirect_uris: Vec<String>,
    /// Stop after this many seconds.
    #[arg(long = "for", value_name = "SECONDS")]
    for_s: Option<u64>,
    /// Switch a fault on from the start, until reset (repeatable; GET
    /// /_conformance/faults lists the names).
    #[arg(long = "fault", value_name = "NAME")]
    faults: Vec<String>,
    /// Fail on a failed SHOULD or derived client check too.
    #[arg(long)]
    strict: bool,
    /// The client to run against the server, with OAUTH_CONFORMANCE_* set;
    /// the session stops when it exits.
    #[arg(last = true, value_name = "CMD")]
    command: Vec<String>,
}

#[derive(clap::Args, Debug)]
struct CoverageArgs {
    /// Print JSON: {"requirements": [...], "totals": {...}}.
    #[arg(long, conflicts_with_all = ["markdown", "write_readme"])]
    json: bool,
    /// Print Markdown: the totals table and the matrix.
    #[arg(long, conflicts_with = "write_readme")]
    markdown: bool,
    /// Write the totals into README.md, between its coverage markers.
    #[arg(long)]
    write_readme: bool,
    /// The requirements file (default: spec/requirements.toml).
    #[arg(long, value_name = "FILE")]
    requirements: Option<PathBuf>,
    /// Directory of .feature files (default: ./features or the built-in ones).
    #[arg(long, value_name = "DIR")]
    features: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum ProfileCommand {
    /// Read a server's RFC 8414 metadata (or OpenID Connect discovery) and
    /// print a commented starter profile (TOML) on stdout.
    Discover(DiscoverArgs),
}

#[derive(clap::Args, Debug)]
struct DiscoverArgs {
    /// The server's issuer identifier (e.g. https://login.example/tenant),
    /// or the URL of its metadata document.
    url: String,
    /// The profile's name (letters, digits, '-', '_', '.').
    #[arg(long)]
    name: String,
    /// Per-request timeout in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    timeout: u64,
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// Built-in profile name or path to a profile .toml; runs the scenarios
    /// tagged with that profile's name [env: OAUTH_CONFORMANCE_PROFILE].
    #[arg(long, value_name = "NAME|PATH")]
    profile: Option<String>,
    /// Base URL of a real server to test instead of the embedded mock
    /// [env: OAUTH_CONFORMANCE_TARGET]. Client id, secrets and the test user
    /// come from OAUTH_CONFORMANCE_* variables (see README).
    #[arg(long, value_name = "URL")]
    target: Option<String>,
    /// TOML file with non-secret settings (target, profile, client_id, ...)
    /// [env: OAUTH_CONFORMANCE_CONFIG].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The target's declared known deviations (TOML: check id + reason)
    /// [env: OAUTH_CONFORMANCE_DEVIATIONS].
    #[arg(long, value_name = "FILE")]
    deviations: Option<PathBuf>,
    /// Cucumber tag expression, e.g. "@401go and not @mock".
    #[arg(long, value_name = "EXPR")]
    tags: Option<String>,
    /// Only scenarios whose name matches this regex.
    #[arg(long, value_name = "REGEX")]
    name: Option<String>,
    /// Write JUnit XML here.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Write the machine-readable results (JSON) here.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write the HTML report here: one self-contained page to open in a browser.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Directory of .feature files (default: ./features or the built-in ones).
    #[arg(long, value_name = "DIR")]
    features: Option<PathBuf>,
    /// Timeout in seconds, from 1 to 300: for each request, and for the
    /// whole login of an authorization code flow.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_S)
    )]
    timeout: u64,
    /// Serve every embedded mock's login and consent pages in this shape:
    /// standard, radio-accounts, unnamed-approve, deny-form, deny-link,
    /// interstitial, no-login, second-origin, no-deny, script-only,
    /// script-leaks (see
    /// README, "The login driver").
    #[arg(long, value_name = "SHAPE")]
    mock_login_pages: Option<String>,
    /// Fail the run on a failed SHOULD check too (a MUST always fails it).
    #[arg(long)]
    strict: bool,
    /// Do not try the identities before the scenarios (the pre-flight):
    /// every scenario then judges what the server answers its identities,
    /// e.g. for a server that locks an account after a failed login.
    #[arg(long)]
    no_preflight: bool,
    /// Also run the suite's proofs of itself (the @harness features: every
    /// check failing on its own fault, the login page shapes, the verdicts
    /// on bad answers), as `cargo test` does. Against the embedded mock.
    #[arg(long)]
    self_test: bool,
    /// Print every step as it runs, and in the summary every scenario that
    /// did not pass and the whole check table (by default the summary fits
    /// a screen: failures, one line per source, skips grouped by reason).
    #[arg(long, short)]
    verbose: bool,
    /// For the suite's own proofs over the wire only (against `serve`):
    /// the suite's client breaks this one rule (a ClientFault name, see
    /// src/client/fault.rs). Never for testing a server.
    #[arg(long, value_name = "NAME", hide = true)]
    client_fault: Option<String>,
}

#[derive(clap::Args, Debug)]
struct DocsArgs {
    /// Write the page here.
    #[arg(long, value_name = "FILE")]
    html: PathBuf,
    /// Only what a run for this profile runs (the RFC features and the
    /// guides it declares), each scenario it cannot run marked with why.
    #[arg(long, value_name = "NAME|PATH")]
    profile: Option<String>,
    /// Directory of .feature files (default: ./features or the built-in ones).
    #[arg(long, value_name = "DIR")]
    features: Option<PathBuf>,
}

/// The longest `--timeout`: a request that takes longer is a hang to report,
/// not to wait for.
const MAX_TIMEOUT_S: u64 = 300;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Profiles => {
            for (name, _) in profile::BUILT_IN {
                match Profile::load(name) {
                    Ok(p) => println!("{name:<10} {} ({})", p.description, p.source),
                    Err(e) => println!("{name:<10} BROKEN: {e}"),
                }
            }
            ExitCode::SUCCESS
        }
        Command::Checks => {
            for c in catalogue::ALL {
                println!(
                    "{:<36} {:<7} {:<16} {}",
                    c.id,
                    c.level.to_string(),
                    c.source,
                    c.requirement
                );
            }
            ExitCode::SUCCESS
        }
        Command::Profile(ProfileCommand::Discover(args)) => discover_profile(args),
        Command::Run(args) => run(*args),
        Command::Coverage(args) => coverage_command(args),
        Command::Docs(args) => docs(args),
        Command::Serve(args) => serve(*args),
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    oauth_conformance::serve::session::run(oauth_conformance::serve::session::SessionArgs {
        profile: args.profile,
        port: args.port,
        json: args.json,
        junit: args.junit,
        html: args.html,
        env_file: args.env_file,
        redirect_uris: args.redirect_uris,
        for_s: args.for_s,
        faults: args.faults,
        strict: args.strict,
        command: args.command,
    })
}

fn coverage_command(args: CoverageArgs) -> ExitCode {
    let requirements = args
        .requirements
        .unwrap_or_else(coverage::default_requirements);
    let features = args
        .features
        .unwrap_or_else(|| RunOptions::defaults().features);
    let gathered = coverage::Coverage::gather_blocking(&requirements, features);
    let coverage = match gathered {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let matrix = match coverage.matrix() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let failed = &coverage.evidence.failed;
    if !failed.is_empty() {
        eprintln!(
            "warning: {} scenarios failed against the mock, so checks they never reached are missing from the matrix:\n{}",
            failed.len(),
            failed.join("\n")
        );
    }
    if args.write_readme {
        if !failed.is_empty() {
            eprintln!("error: README.md is not written from a run with failed scenarios");
            return ExitCode::FAILURE;
        }
        let path = Path::new("README.md");
        return match coverage::readme::update(path, &coverage::markdown::totals(&matrix)) {
            Ok(changed) => {
                let what = if changed {
                    "updated"
                } else {
                    "already current"
                };
                println!("coverage totals in {}: {what}", path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let text = if args.json {
        coverage::json::render(&matrix)
    } else if args.markdown {
        coverage::markdown::render(&matrix)
    } else {
        coverage::text::render(&matrix)
    };
    print!("{text}");
    ExitCode::SUCCESS
}

/// Prints the starter profile on stdout, warnings and errors on stderr.
fn discover_profile(args: DiscoverArgs) -> ExitCode {
    let limits = Limits {
        timeout: Duration::from_secs(args.timeout.max(1)),
        ..Limits::default()
    };
    match discover::run_blocking(&args.url, &args.name, limits) {
        Ok((text, warnings)) => {
            for warning in warnings {
                eprintln!("warning: {warning}");
            }
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Writes the features as documentation: exit 0, 1 when a feature file
/// does not parse (the page still shows the rest), 2 when nothing can be
/// written.
fn docs(args: DocsArgs) -> ExitCode {
    let profile = match args.profile.as_deref().map(Profile::load).transpose() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let features = args
        .features
        .unwrap_or_else(|| RunOptions::defaults().features);
    if !features.exists() {
        eprintln!(
            "error: features directory {} does not exist: run from the project root or pass --features DIR",
            features.display()
        );
        return ExitCode::from(2);
    }
    let file = match ReportFile::create(&args.html) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: cannot open the HTML documentation output: {e}");
            return ExitCode::from(2);
        }
    };
    let docs = runner::docs::docs(&features, profile.as_ref());
    for error in &docs.parse_errors {
        eprintln!("FEATURE FILE ERROR: {}", redact(error));
    }
    match outputs::write_one("HTML documentation", file, html::render_docs(&docs)) {
        true if docs.parse_errors.is_empty() => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

fn run(args: RunArgs) -> ExitCode {
    // Output files are created first: a path that cannot be written fails
    // the run now, not after it.
    let outputs = match Outputs::create(&args.junit, &args.json, &args.html) {
        Ok(outputs) => outputs,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let verbose = args.verbose;
    let report =
        match run_options(args).and_then(|o| runner::run_blocking(o).map_err(|e| e.to_string())) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {}", redact(&e));
                outputs.discard();
                return ExitCode::from(2);
            }
        };
    match verbose {
        true => print!("{}", terminal::detailed(&report)),
        false => print!("{}", terminal::summary(&report)),
    }
    let (written, all_written) = outputs.write(&report);
    println!("{}", terminal::next_steps(&written, verbose));
    match report.status() {
        _ if !all_written => ExitCode::FAILURE,
        status => ExitCode::from(status.exit_code()),
    }
}

/// The run the flags ask for: flags win over `OAUTH_CONFORMANCE_*`
/// variables, which win over the settings file.
fn run_options(args: RunArgs) -> Result<RunOptions, String> {
    let mut options = RunOptions::defaults();
    options.tags = args.tags;
    options.name = args.name;
    options.print_steps = args.verbose;
    options.strict = args.strict;
    options.preflight = !args.no_preflight;
    options.self_test = args.self_test;
    options.progress = oauth_conformance::report::progress::Progress::on_terminal();
    options.limits.timeout = Duration::from_secs(args.timeout);
    if let Some(dir) = args.features {
        options.features = dir;
    }
    if let Some(name) = &args.client_fault {
        let fault = ClientFault::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = ClientFault::ALL.iter().map(|f| f.name()).collect();
            format!(
                "unknown --client-fault {name:?}: the faults are {}",
                known.join(", ")
            )
        })?;
        options.client_fault = Some(fault);
    }
    options.probe_key = std::env::var(wire_mark::KEY_VARIABLE)
        .ok()
        .filter(|k| !k.trim().is_empty())
        .map(Secret::new);
    if let Some(name) = &args.mock_login_pages {
        let pages = LoginPages::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = LoginPages::ALL.iter().map(|p| p.name()).collect();
            format!(
                "unknown --mock-login-pages {name:?}: the shapes are {}",
                known.join(", ")
            )
        })?;
        options.login_pages = Some(pages);
    }
    let mut settings =
        TargetSettings::from_env(args.config.as_deref()).map_err(|e| e.to_string())?;
    if let Some(target) = args.target {
        settings.set(Setting::Target, target, "--target");
    }
    if let Some(profile) = args.profile {
        settings.set(Setting::Profile, profile, "--profile");
    }
    if let Some(path) = args.deviations {
        settings.set(
            Setting::Deviations,
            path.display().to_string(),
            "--deviations",
        );
    }
    options.with_settings(settings).map_err(|e| e.to_string())
}
