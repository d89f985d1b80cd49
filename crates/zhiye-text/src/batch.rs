//! The batch API: classify Arrow string arrays into an Arrow record batch.

use std::sync::{Arc, LazyLock};

use arrow_array::builder::{Float32Builder, ListBuilder, StringBuilder, StructBuilder};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};

use crate::{Classifier, Result, Scratch, TextError};

fn top_fields() -> Fields {
    Fields::from(vec![Field::new("code", DataType::Utf8, false), Field::new("score", DataType::Float32, false)])
}

static CLASSIFIED_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("code", DataType::Utf8, true),
        Field::new("level", DataType::Utf8, true),
        Field::new("score", DataType::Float32, false),
        Field::new("margin", DataType::Float32, false),
        Field::new("method", DataType::Utf8, false),
        Field::new("rule", DataType::Utf8, true),
        Field::new("top_k", DataType::List(Arc::new(Field::new("item", DataType::Struct(top_fields()), true))), false),
        Field::new("evidence", DataType::Utf8, false),
    ]))
});

/// Columns added by classification: `code` (the best occupation, null when
/// unclassified), `level` (the deepest level whose confidence clears the
/// threshold: `fine`, `small`, `medium` or `large`), `score` (confidence 0–1),
/// `margin` (top-1 minus top-2 confidence), `method`, `rule` (the rule
/// applied, if any), `top_k` (list of `{code, score}`, best first) and
/// `evidence`.
pub fn classified_schema() -> SchemaRef {
    CLASSIFIED_SCHEMA.clone()
}

/// Classifies each row of `titles` (with the same row of `descriptions`, if
/// given) and returns the [`classified_schema`] columns, row for row. A null
/// title is classified as empty.
pub fn classify_batch(
    classifier: &Classifier,
    titles: &StringArray,
    descriptions: Option<&StringArray>,
    scratch: &mut Scratch,
) -> Result<RecordBatch> {
    let n = titles.len();
    if let Some(d) = descriptions.filter(|d| d.len() != n) {
        return Err(TextError::Column {
            column: "description".into(),
            message: format!("{} rows, but {n} titles", d.len()),
        });
    }
    let mut code = StringBuilder::with_capacity(n, n * 10);
    let mut score = Float32Builder::with_capacity(n);
    let mut margin = Float32Builder::with_capacity(n);
    let mut level = StringBuilder::with_capacity(n, n * 5);
    let mut method = StringBuilder::with_capacity(n, n * 5);
    let mut rule = StringBuilder::with_capacity(n, n);
    let mut evidence = StringBuilder::with_capacity(n, n * 48);
    let item = StructBuilder::from_fields(top_fields(), n * classifier.options().top_k);
    let mut top = ListBuilder::new(item).with_field(Arc::new(Field::new("item", DataType::Struct(top_fields()), true)));
    for i in 0..n {
        let title = if titles.is_null(i) { "" } else { titles.value(i) };
        let desc = descriptions.filter(|d| !d.is_null(i)).map(|d| d.value(i));
        let out = classifier.classify(title, desc, scratch);
        match out.code {
            Some(c) => code.append_value(&*c.text()),
            None => code.append_null(),
        }
        match out.code {
            Some(_) => level.append_value(out.level.name()),
            None => level.append_null(),
        }
        rule.append_option(out.rule);
        score.append_value(out.score);
        margin.append_value(out.margin);
        method.append_value(out.method.name());
        evidence.append_value(out.evidence);
        let items = top.values();
        for &(c, s) in out.top {
            items.field_builder::<StringBuilder>(0).expect("code field").append_value(&*c.text());
            items.field_builder::<Float32Builder>(1).expect("score field").append_value(s);
            items.append(true);
        }
        top.append(true);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(code.finish()),
        Arc::new(level.finish()),
        Arc::new(score.finish()),
        Arc::new(margin.finish()),
        Arc::new(method.finish()),
        Arc::new(rule.finish()),
        Arc::new(top.finish()),
        Arc::new(evidence.finish()),
    ];
    RecordBatch::try_new(classified_schema(), columns).map_err(|source| TextError::Arrow { what: "classified", source })
}
