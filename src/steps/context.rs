//! What every scenario of one run shares, and how a scenario is named.
//!
//! The runner builds one [`RunContext`] per run and hands it to each
//! scenario's World before the first step; steps read the target, the
//! declared deviations and the HTTP client from it. It lives here, with the
//! steps that use it, so the runner depends on the steps and never the other
//! way round.

use std::path::PathBuf;
use std::sync::Arc;

use futures::future::LocalBoxFuture;

use crate::client::{ClientFault, Transport};
use crate::mock::{LoginPages, ServerFault};
use crate::profile::Profile;
use crate::report::RunReport;
pub use crate::report::scenario::{PROFILE_TAG, ScenarioKey, profile_of};
use crate::sandbox::{Deviations, Preflight, Target};

/// A nested run of the fault proofs: the server check catalogue against
/// mocks that break one rule (or none), or every feature with a client that
/// breaks one rule (or none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NestedRun {
    Server(Option<ServerFault>),
    Client(Option<ClientFault>),
}

/// Starts a [`NestedRun`] and returns its report. The runner provides it, so
/// the fault proof steps can start a nested run without depending on the
/// runner.
pub type CatalogueRun =
    Arc<dyn Fn(NestedRun) -> LocalBoxFuture<'static, Result<RunReport, String>> + Send + Sync>;

/// What every scenario of one run shares.
pub struct RunContext {
    pub transport: Transport,
    /// The profiles under test: the one the run names (a file or a built-in
    /// name), or every built-in profile. A step that names a profile gets
    /// this one when the names match.
    pub profiles: Vec<Profile>,
    pub snapshot_dir: PathBuf,
    /// The embedded mock (default) or a sandbox.
    pub target: Target,
    /// The target's declared known deviations, if any.
    pub deviations: Option<Deviations>,
    /// Every mock of the run breaks this rule (the fault proofs' runs).
    pub server_fault: Option<ServerFault>,
    /// Every mock of the run serves its login pages in this shape.
    pub login_pages: Option<LoginPages>,
    /// Every client of the run breaks this rule (the client fault proofs'
    /// runs); `None` in every normal run.
    pub client_fault: Option<ClientFault>,
    /// A failed SHOULD check fails its step (and the run), as a MUST does.
    pub strict: bool,
    /// The nested run the fault proofs use.
    pub catalogue: Option<CatalogueRun>,
    /// What the pre-flight found of each identity the run was given (empty
    /// on the mock): a scenario that needs a refused one is not run.
    pub preflight: Preflight,
    /// The run's progress line: a real wait shows its remaining seconds.
    pub progress: crate::report::progress::Progress,
}

impl std::fmt::Debug for RunContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunContext")
            .field("target", &self.target)
            .field(
                "profiles",
                &self.profiles.iter().map(|p| &p.name).collect::<Vec<_>>(),
            )
            .field("strict", &self.strict)
            .finish_non_exhaustive()
    }
}

impl RunContext {
    pub fn new(transport: Transport, target: Target, snapshot_dir: PathBuf) -> Self {
        Self {
            transport,
            profiles: Vec::new(),
            snapshot_dir,
            target,
            deviations: None,
            server_fault: None,
            login_pages: None,
            client_fault: None,
            strict: false,
            catalogue: None,
            preflight: Preflight::default(),
            progress: Default::default(),
        }
    }
}
