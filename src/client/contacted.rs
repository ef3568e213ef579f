//! Which origins a run talked to: every request the transport sends is
//! counted under its origin (RFC 6454), so the report can name each one,
//! the target's and any other a profile declares or a server led to.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The origins contacted, with how many requests went to each; clones
/// share one count (a run's transports and their copies).
#[derive(Clone, Debug, Default)]
pub struct Contacted(Arc<Mutex<BTreeMap<String, usize>>>);

impl Contacted {
    /// Counts one request to `url`.
    pub fn note(&self, url: &url::Url) {
        let origin = url.origin().ascii_serialization();
        *self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(origin)
            .or_default() += 1;
    }

    /// Each origin contacted and its request count, by origin.
    pub fn counts(&self) -> Vec<(String, usize)> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(origin, n)| (origin.clone(), *n))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_origin_and_clones_share_the_count() {
        let contacted = Contacted::default();
        let copy = contacted.clone();
        for url in [
            "http://127.0.0.1:8794/token",
            "http://127.0.0.1:8794/authorize?x=1",
            "http://localhost:8794/token",
            "https://as.example/a",
            "https://as.example:443/b",
        ] {
            copy.note(&url.parse().unwrap());
        }
        assert_eq!(
            contacted.counts(),
            vec![
                ("http://127.0.0.1:8794".to_owned(), 2),
                ("http://localhost:8794".to_owned(), 1),
                ("https://as.example".to_owned(), 2),
            ]
        );
    }
}
