//! How commands print data: one `--format` for all of them. The table is each
//! command's own; JSON and CSV come from the same serialisable value, so the
//! two always carry the same fields.

use std::collections::HashMap;
use std::io::{self, Write};

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;

/// An output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text, for reading.
    #[default]
    Table,
    /// JSON: one document, or one object per line where the command streams rows.
    Json,
    /// CSV with a header: a record per row, or one record for a summary; nested fields are
    /// flattened into columns named by their path (`partitions.new`, `top_k.0.code`).
    Csv,
}

/// The `--format` flag of every command that prints data.
#[derive(Debug, clap::Args)]
pub struct FormatArg {
    /// How to print the result
    // Global, so that a command's subcommands take it too (`zhiye runs list --format json`).
    #[arg(long, value_enum, default_value_t, global = true)]
    pub format: Format,
}

/// Prints `value` as JSON or CSV on stdout, or writes the table with `table`.
pub fn emit<T: Serialize>(
    format: Format,
    value: &T,
    table: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    // Written, not printed: a closed pipe (`| head`) ends the command quietly.
    let mut out = io::stdout().lock();
    match format {
        Format::Table => table(&mut out)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, value)?;
            writeln!(out)?;
        }
        Format::Csv => write_csv(&mut out, &serde_json::to_value(value)?)?,
    }
    Ok(())
}

/// CSV of a JSON value: an array of objects is a record each (the columns are
/// the union of their flattened fields, in the order first seen); any other
/// value is one record.
pub fn write_csv(out: &mut dyn Write, value: &Value) -> Result<()> {
    let rows: Vec<Vec<(String, String)>> = match value {
        Value::Array(items) => items.iter().map(flatten).collect(),
        other => vec![flatten(other)],
    };
    let mut columns: Vec<&str> = Vec::new();
    for (key, _) in rows.iter().flatten() {
        if !columns.contains(&key.as_str()) {
            columns.push(key);
        }
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&columns)?;
    for row in &rows {
        let cells: HashMap<&str, &str> = row.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        w.write_record(columns.iter().map(|c| cells.get(c).copied().unwrap_or("")))?;
    }
    w.flush()?;
    Ok(())
}

/// The scalar fields of `value` with their paths (`a.b`, `list.0.c`); a bare scalar is the field `value`.
fn flatten(value: &Value) -> Vec<(String, String)> {
    fn walk(path: &str, v: &Value, out: &mut Vec<(String, String)>) {
        let key = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| walk(&key(k), v, out)),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| walk(&key(&i.to_string()), v, out)),
            Value::Null => out.push((path.to_string(), String::new())),
            Value::String(s) => out.push((path.to_string(), s.clone())),
            other => out.push((path.to_string(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    walk("", value, &mut out);
    if let [(path, _)] = out.as_mut_slice()
        && path.is_empty()
    {
        *path = "value".into();
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn csv(v: Value) -> String {
        let mut out = Vec::new();
        write_csv(&mut out, &v).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn records_flatten_into_the_union_of_their_fields() {
        let v = json!([{"id": "a", "n": {"x": 1, "y": null}}, {"id": "b, c", "n": {"x": 2}, "tags": ["p", "q"]}]);
        assert_eq!(csv(v), "id,n.x,n.y,tags.0,tags.1\na,1,,,\n\"b, c\",2,,p,q\n");
    }

    #[test]
    fn a_summary_is_one_record() {
        assert_eq!(csv(json!({"ok": true, "rows": 3})), "ok,rows\ntrue,3\n");
        assert_eq!(csv(json!(7)), "value\n7\n");
    }
}
