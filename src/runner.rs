//! Running the features: one function for `cargo test` and for the CLI.
//!
//! It wires cucumber to our World, our collector and our redacting terminal
//! output, turns unmatched steps into failures, hands every scenario the
//! run's shared context (HTTP client, profile override, snapshot directory)
//! and gathers each scenario's check outcomes into the report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::sync::{Arc, Mutex};

use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::tag::Ext as _;
use cucumber::writer::{Coloring, Verbosity};
use cucumber::{World as _, WriterExt as _, cli, gherkin, writer};
use futures::FutureExt as _;

use crate::checks::CheckOutcome;
use crate::client::{Limits, Transport};
use crate::mock::ServerFault;
use crate::profile::Profile;
use crate::report::RunReport;
use crate::report::collector::Collector;
use crate::report::redact::RedactingWriter;
use crate::report::results::ScenarioRecord;
use crate::report::skips::ShowSkips;
use crate::sandbox::{Deviations, Target};
use crate::sandbox::{Setting, TargetSettings};
use crate::steps::ConformanceWorld;

/// Identifies a scenario (an outline's example row is its own scenario).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScenarioKey {
    pub path: String,
    pub line: usize,
    pub name: String,
}

/// Scenarios run at once against a sandbox.
pub const SANDBOX_CONCURRENCY: usize = 4;

/// What every scenario of one run shares.
#[derive(Debug)]
pub struct RunContext {
    pub transport: Transport,
    /// A profile given on the command line replaces the built-in one of the
    /// same name.
    pub profile_override: Option<Profile>,
    pub snapshot_dir: PathBuf,
    /// The embedded mock (default) or a sandbox.
    pub target: Target,
    /// The target's declared known deviations, if any.
    pub deviations: Option<Deviations>,
    /// Every mock of the run breaks this rule (the fault proofs' runs).
    pub server_fault: Option<ServerFault>,
    /// A failed SHOULD check fails its step (and the run), as a MUST does.
    pub strict: bool,
    checks: Mutex<BTreeMap<ScenarioKey, Vec<CheckOutcome>>>,
}

/// What to run and how to show it.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub features: PathBuf,
    /// A cucumber tag expression, e.g. `@401go and not @mock`.
    pub tags: Option<String>,
    /// A regex on scenario names.
    pub name: Option<String>,
    /// Run only the scenarios tagged with this profile's name, using it.
    pub profile: Option<Profile>,
    /// Print every step as it runs (cucumber's own output, redacted).
    pub print_steps: bool,
    pub limits: Limits,
    pub snapshot_dir: PathBuf,
    pub target: Target,
    pub deviations: Option<Deviations>,
    /// Switched on in every mock server of the run (see [`crate::proof`]).
    pub server_fault: Option<ServerFault>,
    /// Fail on SHOULD checks too (`--strict`).
    pub strict: bool,
}

impl RunOptions {
    /// The crate's own `features/` and `snapshots/`, wherever the process runs.
    pub fn defaults() -> Self {
        Self {
            features: default_dir("features"),
            tags: None,
            name: None,
            profile: None,
            print_steps: true,
            limits: Limits::default(),
            snapshot_dir: default_dir("snapshots"),
            target: Target::Mock,
            deviations: None,
            server_fault: None,
            strict: false,
        }
    }

    /// Applies the `OAUTH_CONFORMANCE_*` settings: the target, its profile
    /// (required with a target: a sandbox is one provider) and deviations.
    pub fn with_settings(mut self, settings: TargetSettings) -> Result<Self, String> {
        if let Some(path) = settings.get(Setting::Deviations) {
            self.deviations = Some(Deviations::load(Path::new(path))?);
        }
        match settings.get(Setting::Profile) {
            Some(name) => {
                self.profile = Some(Profile::load(name).map_err(|e| {
                    format!("{e} (profile set by {})", settings.origin(Setting::Profile))
                })?)
            }
            None if settings.get(Setting::Target).is_some() && self.profile.is_none() => {
                return Err(format!(
                    "a target is set ({}) but no profile: set {} (or --profile) to the provider profile the target follows, e.g. 401go",
                    settings.origin(Setting::Target),
                    Setting::Profile.variable()
                ));
            }
            None => {}
        }
        self.target = Target::from_settings(settings)?;
        Ok(self)
    }
}

/// `./NAME` when it exists, else the directory in the source tree.
fn default_dir(name: &str) -> PathBuf {
    let local = PathBuf::from(name);
    if local.is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn key(feature: &gherkin::Feature, scenario: &gherkin::Scenario, base: &Path) -> ScenarioKey {
    ScenarioKey {
        path: feature
            .path
            .as_deref()
            .map(|p| p.strip_prefix(base).unwrap_or(p).display().to_string())
            .unwrap_or_else(|| feature.name.clone()),
        line: scenario.position.line,
        name: scenario.name.clone(),
    }
}

fn all_tags<'a>(
    feature: &'a gherkin::Feature,
    rule: Option<&'a gherkin::Rule>,
    scenario: &'a gherkin::Scenario,
) -> impl Iterator<Item = &'a String> + Clone {
    feature
        .tags
        .iter()
        .chain(rule.into_iter().flat_map(|r| r.tags.iter()))
        .chain(scenario.tags.iter())
}

/// Why a `@mock` scenario is not run against a real target.
pub const MOCK_ONLY: &str = "tagged @mock: it arranges server behaviour only the embedded mock offers (virtual time, faults); it runs when no target is set";

/// The report's record of a scenario that was selected but not run.
fn skipped_record(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
    base: &Path,
    why: &str,
) -> ScenarioRecord {
    let key = key(feature, scenario, base);
    ScenarioRecord {
        feature: feature.name.clone(),
        path: key.path,
        line: key.line,
        name: key.name,
        tags: all_tags(feature, rule, scenario).cloned().collect(),
        steps: Vec::new(),
        checks: Vec::new(),
        not_run: Some(why.to_owned()),
    }
}

/// [`run`] on a runtime of its own, for callers that are not async (the CLI
/// and the `cargo test` target).
pub fn run_blocking(options: RunOptions) -> Result<RunReport, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?
        .block_on(run(options))
}

/// Runs the features and returns what happened. `Err` only for problems that
/// prevent running at all (no features directory, bad tag expression).
pub async fn run(options: RunOptions) -> Result<RunReport, String> {
    if !options.features.exists() {
        return Err(format!(
            "features directory {} does not exist: run from the project root or pass --features DIR",
            options.features.display()
        ));
    }
    let tags = options
        .tags
        .as_deref()
        .map(|t| {
            TagOperation::from_str(t).map_err(|e| format!("invalid tag expression {t:?}: {e}"))
        })
        .transpose()?;
    let name = options
        .name
        .as_deref()
        .map(|n| {
            regex::Regex::new(n).map_err(|e| format!("invalid scenario name regex {n:?}: {e}"))
        })
        .transpose()?;
    let transport = Transport::new(options.limits).map_err(|e| e.to_string())?;
    if let Target::Sandbox(sandbox) = &options.target {
        crate::sandbox::reachable(&transport, sandbox).await?;
    }
    let ctx = Arc::new(RunContext {
        transport,
        profile_override: options.profile.clone(),
        snapshot_dir: std::path::absolute(&options.snapshot_dir)
            .unwrap_or(options.snapshot_dir.clone()),
        target: options.target.clone(),
        deviations: options.deviations.clone(),
        server_fault: options.server_fault,
        strict: options.strict,
        checks: Mutex::new(BTreeMap::new()),
    });
    let base = std::env::current_dir().unwrap_or_default();
    let collector = Collector {
        report: Default::default(),
        base_dir: base.clone(),
    };
    let report = collector.report.clone();

    let out: Box<dyn std::io::Write> = if options.print_steps {
        Box::new(RedactingWriter::new(std::io::stdout()))
    } else {
        Box::new(std::io::sink())
    };
    let coloring = if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        Coloring::Auto
    } else {
        Coloring::Never
    };
    let writer = ShowSkips(writer::Basic::raw(out, coloring, Verbosity::Default))
        .tee::<ConformanceWorld, _>(collector)
        .fail_on_skipped()
        .normalized();

    // Each mock scenario has its own server, so they run 64 at a time
    // (cucumber's default). A real server is one shared resource (and may
    // rate-limit), so a sandbox gets a few at a time.
    let runner_cli = cucumber::runner::basic::Cli {
        concurrency: (!options.target.is_mock()).then_some(SANDBOX_CONCURRENCY),
        ..Default::default()
    };
    // Tag and name filters are applied in our own filter below: cucumber
    // skips a custom filter entirely when its CLI filters are set.
    let cli_opts = cli::Opts::<_, _, _, cli::Empty> {
        runner: runner_cli,
        ..Default::default()
    };

    let before_ctx = ctx.clone();
    let before_base = base.clone();
    let after_ctx = ctx.clone();
    let after_base = base.clone();
    let profile_tag = options.profile.as_ref().map(|p| p.name.clone());
    let on_sandbox = !options.target.is_mock();
    let not_run: Arc<Mutex<Vec<ScenarioRecord>>> = Arc::default();
    let not_run_filter = not_run.clone();
    let filter_base = base.clone();

    ConformanceWorld::cucumber()
        .before(move |feature, _rule, scenario, world| {
            world.attach(before_ctx.clone(), key(feature, scenario, &before_base));
            async {}.boxed_local()
        })
        .after(move |feature, _rule, scenario, _finished, world| {
            if let Some(world) = world {
                let outcomes = std::mem::take(&mut world.checks);
                after_ctx
                    .checks
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key(feature, scenario, &after_base), outcomes);
            }
            async {}.boxed_local()
        })
        .with_writer(writer)
        .with_cli(cli_opts)
        .filter_run(options.features.clone(), move |feature, rule, scenario| {
            let selected = name.as_ref().is_none_or(|re| re.is_match(&scenario.name))
                && tags
                    .as_ref()
                    .is_none_or(|t| t.eval(all_tags(feature, rule, scenario)))
                && profile_tag
                    .as_ref()
                    .is_none_or(|p| all_tags(feature, rule, scenario).any(|t| t == p));
            if !selected {
                return false;
            }
            // On a real target, scenarios that arrange the mock are not run
            // but reported as skipped, with the reason.
            if on_sandbox && all_tags(feature, rule, scenario).any(|t| t == "mock") {
                not_run_filter
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(skipped_record(
                        feature,
                        rule,
                        scenario,
                        &filter_base,
                        MOCK_ONLY,
                    ));
                return false;
            }
            true
        })
        .await;

    let mut report = std::mem::take(&mut *report.lock().unwrap_or_else(|e| e.into_inner()));
    report.scenarios.extend(std::mem::take(
        &mut *not_run.lock().unwrap_or_else(|e| e.into_inner()),
    ));
    let mut checks = std::mem::take(&mut *ctx.checks.lock().unwrap_or_else(|e| e.into_inner()));
    for scenario in &mut report.scenarios {
        let key = ScenarioKey {
            path: scenario.path.clone(),
            line: scenario.line,
            name: scenario.name.clone(),
        };
        if let Some(outcomes) = checks.remove(&key) {
            scenario.checks = outcomes;
        }
    }
    report.target = options.target.describe();
    report.strict = options.strict;
    if let Some(deviations) = &options.deviations {
        report.declare_deviations(deviations);
    }
    Ok(report)
}
