//! Running the features: one function for `cargo test` and for the CLI.
//! Which scenarios run, and for which profile, is [`selection`]'s to say.
//!
//! It wires cucumber to our World, our collector and our redacting terminal
//! output, turns unmatched steps into failures, hands every scenario the
//! run's shared context (HTTP client, profile override, snapshot directory)
//! and gathers each scenario's check outcomes into the report.

pub mod docs;
pub mod selection;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cucumber::event::ScenarioFinished;
use cucumber::writer::{Coloring, Verbosity};
use cucumber::{World as _, WriterExt as _, cli, writer};
use futures::FutureExt as _;

use crate::client::wire_mark::WireMark;
use crate::client::{ClientFault, Limits, Secret, Transport, TransportError};
use crate::mock::{LoginPages, ServerFault};
use crate::profile::{BUILT_IN, Profile, ProfileError};
use crate::redact::RedactingWriter;
use crate::report::RunReport;
use crate::report::collector::{Collector, ScenarioOutcome};
use crate::report::skips::ShowSkips;
use crate::sandbox::{
    ConfigError, Deviations, DeviationsError, Setting, Target, TargetSettings, Unreachable,
};
use crate::steps::context::NestedRun;
use crate::steps::{ConformanceWorld, RunContext, ScenarioKey};
use selection::{PerProfile, ScenarioFilter};

/// Why a run could not start. Each message says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(
        "features directory {0} does not exist: run from the project root or pass --features DIR"
    )]
    NoFeatures(String),
    #[error("invalid tag expression {expression:?}: {detail}")]
    BadTags { expression: String, detail: String },
    #[error("invalid scenario name regex {pattern:?}: {detail}")]
    BadName { pattern: String, detail: String },
    #[error("{source} (profile set by {origin})")]
    Profile {
        source: ProfileError,
        origin: String,
    },
    #[error(
        "a target is set ({origin}) but no profile: set {variable} (or --profile) to the provider profile the target follows, e.g. 401go"
    )]
    TargetWithoutProfile {
        origin: String,
        variable: &'static str,
    },
    #[error(transparent)]
    Deviations(#[from] DeviationsError),
    #[error(transparent)]
    Settings(#[from] ConfigError),
    #[error(transparent)]
    Unreachable(Box<Unreachable>),
    #[error("cannot set up the HTTP client: {0}")]
    Transport(#[from] TransportError),
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("no scenario was selected: {0}")]
    NothingSelected(String),
    #[error("cannot load the built-in profiles: {0}")]
    BuiltIn(ProfileError),
}

/// Scenarios run at once against a sandbox.
pub const SANDBOX_CONCURRENCY: usize = 4;

/// What to run and how to show it.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub features: PathBuf,
    /// A cucumber tag expression, e.g. `@401go and not @mock`.
    pub tags: Option<String>,
    /// A regex on scenario names.
    pub name: Option<String>,
    /// The profile under test; unset: every built-in profile.
    pub profile: Option<Profile>,
    /// Print every step as it runs (cucumber's own output, redacted).
    pub print_steps: bool,
    pub limits: Limits,
    pub snapshot_dir: PathBuf,
    pub target: Target,
    pub deviations: Option<Deviations>,
    /// Switched on in every mock server of the run (see [`run_catalogue`]).
    pub server_fault: Option<ServerFault>,
    /// The shape of every mock's login and consent pages (unset: the
    /// standard shape, or what a scenario asks for).
    pub login_pages: Option<LoginPages>,
    /// Switched on in every client of the run (see
    /// [`run_client_catalogue`]); never set by a normal run.
    pub client_fault: Option<ClientFault>,
    /// Fail on SHOULD checks too (`--strict`).
    pub strict: bool,
    /// Try each identity before the scenarios (see
    /// [`crate::sandbox::preflight`]); `--no-preflight` turns it off.
    pub preflight: bool,
    /// Also run the suite's proofs of itself (`@harness`: the fault proofs,
    /// the login page shapes, the verdicts on bad answers): `cargo test`
    /// and `run --self-test` do, a default run does not.
    pub self_test: bool,
    /// Only these scenarios (a fault proof's run: the scenarios that reached
    /// its check in the conforming run, see [`crate::proof::reaching`]).
    pub only: Option<Arc<BTreeSet<ScenarioKey>>>,
    /// The progress line (the CLI draws it on a terminal; hidden by default).
    pub progress: crate::report::progress::Progress,
    /// `serve`'s key (`OAUTH_CONFORMANCE_PROBE_KEY`): on a real target, the
    /// requests are marked with their scenario and the probes as probes
    /// (see [`crate::client::wire_mark`]).
    pub probe_key: Option<Secret>,
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
            login_pages: None,
            client_fault: None,
            strict: false,
            preflight: true,
            self_test: false,
            only: None,
            progress: Default::default(),
            probe_key: None,
        }
    }

    /// Applies the `OAUTH_CONFORMANCE_*` settings: the target, its profile
    /// (required with a target: a sandbox is one provider) and deviations.
    pub fn with_settings(mut self, settings: TargetSettings) -> Result<Self, RunError> {
        if let Some(path) = settings.get(Setting::Deviations) {
            self.deviations = Some(Deviations::load(Path::new(path))?);
        }
        match settings.get(Setting::Profile) {
            Some(name) => {
                let profile = Profile::load(name).map_err(|source| RunError::Profile {
                    source,
                    origin: settings.origin(Setting::Profile).to_owned(),
                })?;
                self.profile = Some(profile);
            }
            None if settings.get(Setting::Target).is_some() && self.profile.is_none() => {
                return Err(RunError::TargetWithoutProfile {
                    origin: settings.origin(Setting::Target).to_owned(),
                    variable: Setting::Profile.variable(),
                });
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

/// [`run`] on a runtime of its own, for callers that are not async (the CLI
/// and the `cargo test` target).
pub fn run_blocking(options: RunOptions) -> Result<RunReport, RunError> {
    on_large_stack(move || {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(RunError::Runtime)?
            .block_on(run(options))
    })
    .map_err(RunError::Runtime)?
}

/// The stack a whole run is polled on: 64 MiB of address space, touched
/// only as deep as the run goes.
const RUN_STACK: usize = 64 << 20;

/// Runs `work` on a thread of its own with a large stack and waits for it.
/// A run's future (cucumber's executor, the fault proofs' nested runs) is
/// polled on the thread that blocks on it, and in an unoptimised build it is
/// deeper than the 2 MiB a test thread has: `cargo test` aborted on a stack
/// overflow. `Err` only when the thread cannot be started.
pub fn on_large_stack<T: Send>(work: impl FnOnce() -> T + Send) -> std::io::Result<T> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("oauth-conformance run".into())
            .stack_size(RUN_STACK)
            .spawn_scoped(scope, work)?;
        Ok(handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

/// Runs the features and returns what happened. `Err` only for problems that
/// prevent running at all (no features directory, bad tag expression, a
/// target that does not answer). On a real target, the pre-flight tries
/// each identity first ([`crate::sandbox::preflight`]): the scenarios read
/// what it found from the run context, the report starts with it.
pub async fn run(options: RunOptions) -> Result<RunReport, RunError> {
    if !options.features.exists() {
        return Err(RunError::NoFeatures(options.features.display().to_string()));
    }
    let started_at = crate::report::now_rfc3339();
    let clock = std::time::Instant::now();
    let base = std::env::current_dir().unwrap_or_default();
    let read_from = base.clone();
    let under_test = profiles_under_test(&options)?;
    let profile_names = under_test.iter().map(|p| p.name.clone()).collect();
    let filter = ScenarioFilter::new(&options, under_test.clone(), base.clone())?;
    let mark = match (&options.target, &options.probe_key) {
        (Target::Sandbox(_), Some(key)) => Some(WireMark::new(key.clone(), "run")),
        _ => None,
    };
    let transport = Transport::new(options.limits)?.marked(mark);
    if let Target::Sandbox(sandbox) = &options.target {
        crate::sandbox::reachable(&transport, sandbox)
            .await
            .map_err(|e| RunError::Unreachable(Box::new(e)))?;
    }
    let preflight = match options.preflight {
        true => {
            let transport = transport.for_next_scenario();
            crate::sandbox::preflight::run(&options.target, &transport, &under_test).await
        }
        false => Default::default(),
    };
    let set_up = preflight.checks.clone();
    let mut ctx = context(&options, under_test.clone(), transport);
    ctx.preflight = preflight;
    let ctx = Arc::new(ctx);
    let collector = Collector {
        report: Default::default(),
        base_dir: base.clone(),
        inbox: Default::default(),
        progress: options.progress.clone(),
    };
    let (report, inbox) = (collector.report.clone(), collector.inbox.clone());
    let (excluded, bad_tags, tally) = (
        filter.excluded.clone(),
        filter.bad_tags.clone(),
        filter.tally.clone(),
    );
    let writer = ShowSkips(terminal_writer(options.print_steps))
        .tee::<ConformanceWorld, _>(collector)
        .fail_on_skipped()
        .normalized();
    let before_ctx = ctx.clone();
    let features_dir = options
        .features
        .canonicalize()
        .unwrap_or(options.features.clone());
    ConformanceWorld::cucumber::<PathBuf>()
        .with_parser(PerProfile {
            features_dir,
            under_test,
        })
        .before(move |feature, _rule, _scenario, world| {
            world.attach(before_ctx.clone(), selection_profile(feature));
            async {}.boxed_local()
        })
        .after(move |feature, _rule, scenario, finished, world| {
            if let Some(world) = world {
                let failed = matches!(finished, ScenarioFinished::StepFailed(..));
                inbox.hand_over(
                    ScenarioKey::of(feature, scenario, &base),
                    ScenarioOutcome {
                        checks: std::mem::take(&mut world.checks),
                        exchanges: if failed {
                            world.exchanges()
                        } else {
                            Vec::new()
                        },
                    },
                );
            }
            async {}.boxed_local()
        })
        .with_writer(writer)
        .with_cli(cli_options(&options.target))
        .filter_run(options.features.clone(), move |feature, rule, scenario| {
            filter.selects(feature, rule, scenario)
        })
        .await;

    options.progress.finish();
    let mut report = std::mem::take(&mut *report.lock().unwrap_or_else(|e| e.into_inner()));
    report.scenarios.extend(std::mem::take(
        &mut *excluded.lock().unwrap_or_else(|e| e.into_inner()),
    ));
    report.parse_errors.extend(std::mem::take(
        &mut *bad_tags.lock().unwrap_or_else(|e| e.into_inner()),
    ));
    if report.scenarios.is_empty() && report.parse_errors.is_empty() {
        let tally = *tally.lock().unwrap_or_else(|e| e.into_inner());
        return Err(RunError::NothingSelected(tally.explain(&options)));
    }
    report.target = options.target.describe();
    let target = match &options.target {
        Target::Sandbox(sandbox) => Some(&sandbox.base_url),
        Target::Mock => None,
    };
    report.origins =
        crate::report::origins::of_run(&ctx.transport, target, options.profile.as_ref());
    report.set_up = set_up;
    report.strict = options.strict;
    report.profiles = profile_names;
    report.started_at = started_at;
    report.features = crate::report::features::read(&options.features, &read_from)
        .0
        .into_iter()
        .filter(|f| report.scenarios.iter().any(|s| s.path == f.path))
        .collect();
    report.duration = clock.elapsed();
    if let Some(deviations) = &options.deviations {
        report.declare_deviations(deviations);
    }
    Ok(report)
}

/// The profile a feature copy is for, if the runner made one.
fn selection_profile(feature: &cucumber::gherkin::Feature) -> Option<String> {
    crate::report::scenario::profile_of(feature).map(str::to_owned)
}

/// The profile the run names, or every built-in profile.
fn profiles_under_test(options: &RunOptions) -> Result<Vec<Profile>, RunError> {
    match &options.profile {
        Some(p) => Ok(vec![p.clone()]),
        None => BUILT_IN
            .iter()
            .map(|(name, _)| Profile::load(name).map_err(RunError::BuiltIn))
            .collect(),
    }
}

/// The context every scenario of this run shares.
fn context(options: &RunOptions, under_test: Vec<Profile>, transport: Transport) -> RunContext {
    let snapshot_dir =
        std::path::absolute(&options.snapshot_dir).unwrap_or(options.snapshot_dir.clone());
    let mut ctx = RunContext::new(transport, options.target.clone(), snapshot_dir);
    ctx.profiles = under_test;
    ctx.deviations = options.deviations.clone();
    ctx.server_fault = options.server_fault;
    ctx.login_pages = options.login_pages;
    ctx.client_fault = options.client_fault;
    ctx.strict = options.strict;
    ctx.progress = options.progress.clone();
    let proofs = Arc::new(ProofRuns::default());
    ctx.catalogue = Some(Arc::new(move |nested| {
        let proofs = proofs.clone();
        async move { proofs.run(nested).await.map_err(|e| e.to_string()) }.boxed_local()
    }));
    ctx
}

/// Cucumber's own step-by-step output (redacted), or nothing.
fn terminal_writer(print_steps: bool) -> writer::Basic<Box<dyn std::io::Write>> {
    let out: Box<dyn std::io::Write> = if print_steps {
        Box::new(RedactingWriter::new(std::io::stdout()))
    } else {
        Box::new(std::io::sink())
    };
    let coloring = if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        Coloring::Auto
    } else {
        Coloring::Never
    };
    writer::Basic::raw(out, coloring, Verbosity::Default)
}

/// Each mock scenario has its own server, so they run 64 at a time
/// (cucumber's default). A real server is one shared resource (and may
/// rate-limit), so a sandbox gets a few at a time. Tag and name filters are
/// applied by [`ScenarioFilter`]: cucumber skips a custom filter entirely
/// when its CLI filters are set.
fn cli_options<P, W>(target: &Target) -> cli::Opts<P, cucumber::runner::basic::Cli, W>
where
    P: clap::Args + Default,
    W: clap::Args + Default,
{
    cli::Opts {
        runner: cucumber::runner::basic::Cli {
            concurrency: (!target.is_mock()).then_some(SANDBOX_CONCURRENCY),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// The scenarios of the server check catalogue: the RFC and guide features,
/// the fault proofs themselves left out.
const CATALOGUE: &str = "(@rfc or @guide) and not @fault_proof";

/// The profile the catalogue runs with: the one that documents every flow.
const CATALOGUE_PROFILE: &str = "401go";

/// The scenarios of the client check catalogue: every feature but the
/// harness's own (the client checks run in the RFC, guide and client
/// features, for every built-in profile: PKCE for the profiles that use it,
/// token lifetime for the profile its features name).
const CLIENT_CATALOGUE: &str = "not @harness";

/// The fault proofs' nested runs of one run. Each conforming run (the
/// server catalogue per profile, the client catalogue) is made once and
/// kept; a fault's run is only the scenarios that reached its check in the
/// conforming run ([`crate::proof::reaching`]).
#[derive(Default)]
struct ProofRuns {
    conforming: tokio::sync::Mutex<HashMap<Conforming, Arc<RunReport>>>,
}

/// Which conforming run: the server catalogue for a profile, or the client's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Conforming {
    Server(&'static str),
    Client,
}

impl ProofRuns {
    async fn run(&self, nested: NestedRun) -> Result<RunReport, RunError> {
        match nested {
            NestedRun::Server(None) => self
                .conforming(Conforming::Server(CATALOGUE_PROFILE))
                .await
                .map(|r| (*r).clone()),
            NestedRun::Client(None) => self
                .conforming(Conforming::Client)
                .await
                .map(|r| (*r).clone()),
            NestedRun::Server(Some(fault)) => {
                let conforming = self
                    .conforming(Conforming::Server(fault.proof_profile()))
                    .await?;
                let checks = crate::proof::Expected::server(fault).checks();
                let only = Arc::new(crate::proof::reaching(&conforming, &checks));
                elsewhere(move || run_catalogue(Some(fault), Some(only))).await
            }
            NestedRun::Client(Some(fault)) => {
                let conforming = self.conforming(Conforming::Client).await?;
                let checks = crate::proof::Expected::client(fault).checks();
                let only = Arc::new(crate::proof::reaching(&conforming, &checks));
                elsewhere(move || run_client_catalogue(Some(fault), Some(only))).await
            }
        }
    }

    /// The conforming run `which`, made on first use.
    async fn conforming(&self, which: Conforming) -> Result<Arc<RunReport>, RunError> {
        let mut runs = self.conforming.lock().await;
        if let Some(report) = runs.get(&which) {
            return Ok(report.clone());
        }
        let report = match which {
            Conforming::Server(profile) => {
                Box::pin(run_server_catalogue(profile, None, None)).await
            }
            Conforming::Client => Box::pin(run_client_catalogue(None, None)).await,
        }?;
        let report = Arc::new(report);
        runs.insert(which, report.clone());
        Ok(report)
    }
}

/// How many fault runs go on at once, each on a thread of its own: one per
/// core. More contend for memory (eight at once on 2 cores took 1.3 GB and
/// longer than one at a time).
fn fault_runs_at_once() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Runs a fault proof's nested run on a thread of its own with its own
/// runtime, and waits for it. The outer run's scenarios share one thread
/// (cucumber's futures are not `Send`), so nested runs awaited in place
/// used one core of the machine however many it has; on their own threads
/// they use them all ([`fault_runs_at_once`]).
async fn elsewhere<F, Fut>(make: F) -> Result<RunReport, RunError>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<RunReport, RunError>>,
{
    static AT_ONCE: std::sync::LazyLock<tokio::sync::Semaphore> =
        std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(fault_runs_at_once()));
    let _turn = AT_ONCE
        .acquire()
        .await
        .expect("the semaphore is never closed");
    let run = move || {
        on_large_stack(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(RunError::Runtime)?
                .block_on(make())
        })
        .map_err(RunError::Runtime)?
    };
    match tokio::task::spawn_blocking(run).await {
        Ok(report) => report,
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => Err(RunError::Runtime(std::io::Error::other(e))),
        },
    }
}

/// Runs the server check catalogue for the 401GO profile (or the profile
/// [`ServerFault::proof_profile`] names) against mocks that break `fault`'s
/// rule, or conform for `None`: the run [`crate::proof::Proof`] reads.
/// `only` narrows it to the scenarios a proof needs.
pub async fn run_catalogue(
    fault: Option<ServerFault>,
    only: Option<Arc<BTreeSet<ScenarioKey>>>,
) -> Result<RunReport, RunError> {
    let profile = fault.map_or(CATALOGUE_PROFILE, ServerFault::proof_profile);
    Box::pin(run_server_catalogue(profile, fault, only)).await
}

async fn run_server_catalogue(
    profile: &str,
    fault: Option<ServerFault>,
    only: Option<Arc<BTreeSet<ScenarioKey>>>,
) -> Result<RunReport, RunError> {
    let options = RunOptions {
        tags: Some(CATALOGUE.into()),
        profile: Some(Profile::load(profile).map_err(RunError::BuiltIn)?),
        print_steps: false,
        server_fault: fault,
        only,
        ..RunOptions::defaults()
    };
    Box::pin(run(options)).await
}

/// Runs every feature but the harness's, for every built-in profile, with a
/// client that breaks `fault`'s rule (or conforms, for `None`) against
/// conforming mocks: the run [`crate::proof::Proof`] reads for a client
/// fault. `only` narrows it to the scenarios a proof needs.
pub async fn run_client_catalogue(
    fault: Option<ClientFault>,
    only: Option<Arc<BTreeSet<ScenarioKey>>>,
) -> Result<RunReport, RunError> {
    let options = RunOptions {
        tags: Some(CLIENT_CATALOGUE.into()),
        print_steps: false,
        client_fault: fault,
        only,
        ..RunOptions::defaults()
    };
    Box::pin(run(options)).await
}
