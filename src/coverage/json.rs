//! The matrix as JSON (`coverage --json`):
//! `{"requirements": [{"id", "source", "level", "side", "status", "checks",
//! "scenarios", "faults", ...}], "totals": {...}}`.

use serde_json::{Value, json};

use super::matrix::{Matrix, Row, Totals};

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
        "wording": r.wording,
        "status": row.status,
        "why": row.why,
        "checks": r.checks,
        "scenarios": row.scenarios.iter().map(|s| s.describe()).collect::<Vec<_>>(),
        "faults": row.faults(),
        "awaiting": r.awaiting,
        "quote": r.quote,
        "unverified": r.unverified,
    })
}

/// `{"MUST": {"total", "covered", "partial", "uncovered"}, ..., "untestable", "not_counted"}`.
fn totals(t: &Totals) -> Value {
    let mut out = serde_json::Map::new();
    for (bucket, tally) in &t.buckets {
        out.insert(bucket.to_string(), json!(tally));
    }
    out.insert("untestable".into(), json!(t.untestable));
    out.insert("not_counted".into(), json!(t.not_counted));
    Value::Object(out)
}
