//! The matrix as JSON (`coverage --json`):
//! `{"requirements": [{"id", "source", "level", "bucket", "side", "party",
//! "status", "left_out", "checks", "scenarios", "faults", ...}], "totals":
//! {"documents": {"RFC 6749": {"server": {"MUST": {...}}, "client": {...},
//! "untestable", "not_counted"}}, "rfcs": {...}, "seeds": {...}}}`.

use serde_json::{Value, json};

use super::matrix::{Matrix, Row, Status, Totals};

pub fn render(matrix: &Matrix<'_>) -> String {
    let requirements: Vec<Value> = matrix.rows.iter().map(row).collect();
    let documents: serde_json::Map<String, Value> = matrix
        .documents
        .iter()
        .map(|(d, t)| (d.clone(), totals(t)))
        .collect();
    let value = json!({
        "requirements": requirements,
        "totals": {
            "documents": documents,
            "rfcs": totals(&matrix.rfcs),
            "seeds": totals(&matrix.seeds),
        },
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn row(row: &Row<'_>) -> Value {
    let r = row.requirement;
    json!({
        "id": r.id,
        "source": r.source_text,
        "level": r.level,
        "bucket": r.bucket,
        "side": r.side,
        "party": r.party,
        "wording": r.wording,
        "status": row.status,
        "why": row.why,
        // The clause of the sentence no check tests, for a partial row.
        "left_out": (row.status == Status::Partial).then_some(r.partial.as_deref()).flatten(),
        "checks": r.checks,
        "scenarios": row.scenarios.iter().map(|s| s.describe()).collect::<Vec<_>>(),
        "faults": row.faults(),
        "awaiting": r.awaiting,
        "quote": r.quote,
        "unverified": r.unverified,
    })
}

/// `{"server": {"MUST": {"total", "covered", "partial", "uncovered"}, ...},
/// "client": {...}, "untestable", "not_counted"}`.
fn totals(t: &Totals) -> Value {
    let mut out = serde_json::Map::new();
    for (party, buckets) in &t.parties {
        let buckets: serde_json::Map<String, Value> = buckets
            .iter()
            .map(|(bucket, tally)| (bucket.to_string(), json!(tally)))
            .collect();
        out.insert(party.to_string(), Value::Object(buckets));
    }
    out.insert("untestable".into(), json!(t.untestable));
    out.insert("not_counted".into(), json!(t.not_counted));
    Value::Object(out)
}
