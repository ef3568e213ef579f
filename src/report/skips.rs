//! Showing a deliberately skipped scenario as skipped, not as failed.
//!
//! cucumber has no "skip this scenario" for a step to return, and an unmatched
//! step is already turned into a failure (so typos cannot pass). A step that
//! finds it cannot run against this target (a `@mock` scenario on a sandbox,
//! a setting nobody gave) records why in the World and fails; the writers
//! below read that reason from the World and show the step as skipped, with
//! the reason in the report.

use cucumber::event::{Cucumber, Feature, RetryableScenario, Rule, Scenario, Step};
use cucumber::{Event, Writer, parser};

/// A World that can say why its scenario was skipped.
pub trait SkipReason {
    fn skip_reason(&self) -> Option<&str>;
}

/// The reason a failed step event is really a deliberate skip, if it is one.
pub fn skipped_because<W: SkipReason>(step: &Step<W>) -> Option<String> {
    match step {
        Step::Failed(_, _, Some(world), _) => world.skip_reason().map(str::to_owned),
        _ => None,
    }
}

/// Wraps a writer (cucumber's terminal output) so deliberate skips reach it
/// as skipped steps.
#[derive(Debug)]
pub struct ShowSkips<Wr>(pub Wr);

fn as_skip<W: SkipReason>(ev: Scenario<W>) -> Scenario<W> {
    match ev {
        Scenario::Step(s, step) if skipped_because(&step).is_some() => {
            Scenario::Step(s, Step::Skipped)
        }
        Scenario::Background(s, step) if skipped_because(&step).is_some() => {
            Scenario::Background(s, Step::Skipped)
        }
        other => other,
    }
}

fn retryable<W: SkipReason>(r: RetryableScenario<W>) -> RetryableScenario<W> {
    RetryableScenario {
        event: as_skip(r.event),
        retries: r.retries,
    }
}

impl<W, Wr> Writer<W> for ShowSkips<Wr>
where
    W: cucumber::World + SkipReason,
    Wr: Writer<W>,
{
    type Cli = Wr::Cli;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, cli: &Self::Cli) {
        let event = event.map(|ev| {
            ev.map(|c| match c {
                Cucumber::Feature(f, Feature::Scenario(sc, r)) => {
                    Cucumber::Feature(f, Feature::Scenario(sc, retryable(r)))
                }
                Cucumber::Feature(f, Feature::Rule(rule, Rule::Scenario(sc, r))) => {
                    Cucumber::Feature(f, Feature::Rule(rule, Rule::Scenario(sc, retryable(r))))
                }
                other => other,
            })
        });
        self.0.handle_event(event, cli).await;
    }
}
