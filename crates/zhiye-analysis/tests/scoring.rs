//! The scoring rule on hand-computed fixtures, and label-file errors.

mod common;

use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use common::{close, code, example, labels, taxonomy};
use parquet::arrow::ArrowWriter;
use zhiye_analysis::exposure::{ExposureOptions, ExposureScores, LabelSet};
use zhiye_core::Level;

/// An uneven tree under medium 2-02: small 2-02-10 has three scored
/// occupations, small 2-02-01 one. Model B skips 2-02-10-02 (its only reply
/// there is `invalid`) and has a single run on 2-02-10-01.
const FIXTURE: &str = "code,model,run,label,raw
2-02-10-03,A,1,E1,
2-02-10-03,A,2,E2,
2-02-10-03,A,3,E0,
2-02-10-03,B,1,E3,
2-02-10-03,B,2,E3,
2-02-10-03,B,3,E1,
2-02-10-01,A,1,E1,
2-02-10-01,A,2,E1,
2-02-10-01,A,3,E1,
2-02-10-01,B,1,E1,
2-02-10-02,A,1,E0,
2-02-10-02,A,2,E0,
2-02-10-02,A,3,E0,
2-02-10-02,B,1,invalid,sorry
2-02-01-01,A,1,E0,
2-02-01-01,A,2,E0,
2-02-01-01,A,3,E2,
2-02-01-01,B,1,E0,
2-02-01-01,B,2,E0,
2-02-01-01,B,3,E0,
2-03-01-00,A,1,E2,
2-03-01-00,A,2,E2,
2-03-01-00,A,3,E0,
6-20-03-00,A,1,E1,
6-20-03-01,A,1,E0,
1-01-00-01,A,1,E1,
1-01-00-01,A,2,E1,
";

fn fixture_scores() -> ExposureScores {
    ExposureScores::compute(&labels(FIXTURE).unwrap(), &ExposureOptions::default())
}

#[test]
fn occupation_scores_average_runs_then_models() {
    let s = fixture_scores();
    let fine = s.level(Level::Fine);
    let soft = &fine[&code("2-02-10-03")];
    // A: (1 + 0.5 + 0) / 3 = 0.5; B: (0.5 + 0.5 + 1) / 3 = 2/3; overall 7/12.
    close(soft.by_model["A"], 0.5);
    close(soft.by_model["B"], 2.0 / 3.0);
    close(soft.score, 7.0 / 12.0);
    assert_eq!(soft.n_runs, 6);
    // Only A scored 2-02-10-02: its overall score is A's.
    let hw = &fine[&code("2-02-10-02")];
    assert_eq!((hw.score, hw.by_model.len(), hw.n_runs), (0.0, 1, 3));
    close(fine[&code("2-02-01-01")].score, 1.0 / 12.0);
    assert_eq!(s.models(), ["A", "B"]);
}

#[test]
fn roll_ups_take_the_mean_of_children() {
    let s = fixture_scores();
    // Small 2-02-10 = mean(7/12, 1, 0) = 19/36; small 2-02-01 = 1/12.
    close(s.score(Level::Small, code("2-02-10")).unwrap(), 19.0 / 36.0);
    close(s.score(Level::Small, code("2-02-01")).unwrap(), 1.0 / 12.0);
    // Medium 2-02 = mean(19/36, 1/12) = 11/36, not the mean of its four
    // occupations, (7/12 + 1 + 0 + 1/12) / 4 = 5/12.
    let medium = &s.level(Level::Medium)[&code("2-02")];
    close(medium.score, 11.0 / 36.0);
    assert_eq!(medium.n_runs, 19);
    // Per model the same way: A = mean(mean(0.5, 1, 0), 1/6) = 1/3; B = mean(mean(2/3, 1), 0) = 5/12.
    close(medium.by_model["A"], 1.0 / 3.0);
    close(medium.by_model["B"], 5.0 / 12.0);
    // Large 2 = mean of its medium classes 2-02 (11/36) and 2-03 (1/3).
    close(s.score(Level::Large, code("2")).unwrap(), 23.0 / 72.0);
}

#[test]
fn undivided_small_classes_roll_up_like_occupations() {
    let s = fixture_scores();
    // 2-03-01-00 is an occupation: it is its own small class, and 2-03's only child.
    let soil = code("2-03-01-00");
    close(s.score(Level::Fine, soil).unwrap(), 1.0 / 3.0);
    close(s.score(Level::Small, soil).unwrap(), 1.0 / 3.0);
    close(s.score(Level::Medium, code("2-03")).unwrap(), 1.0 / 3.0);
    // 6-20-03-00 is an occupation and also has fine children: the small
    // class 6-20-03 is the mean of all its occupations, itself included.
    let metal = code("6-20-03-00");
    close(s.score(Level::Fine, metal).unwrap(), 1.0);
    close(s.score(Level::Small, metal).unwrap(), 0.5);
    let table = s.to_table(Level::Fine);
    assert!(table.rows.iter().any(|r| r[0].to_string() == "6-20-03-00"));
}

#[test]
fn excluded_large_classes_and_invalid_labels_are_counted() {
    let s = fixture_scores();
    assert_eq!(s.dropped_labels(), 2);
    assert_eq!(s.invalid_labels(), 1);
    assert!(s.score(Level::Fine, code("1-01-00-01")).is_none());
    assert!(s.score(Level::Large, code("1")).is_none());
    let kept = ExposureScores::compute(&labels(FIXTURE).unwrap(), &ExposureOptions::excluding([7, 8]));
    assert_eq!(kept.dropped_labels(), 0);
    close(kept.score(Level::Medium, code("1-01")).unwrap(), 1.0);
    assert_eq!(ExposureOptions::default().excluded_large, [1, 7, 8]);
}

#[test]
fn bad_rows_name_file_row_and_field() {
    let cases: [(&'static str, &[&str]); 6] = [
        ("code,model,run,label\n2-02-10-03,A,1,E1\n2-02-10-03,A,2,E4\n", &["labels.csv", "row 2", "field label", "E4"]),
        ("code,model,run,label\n2-02-10-00,A,1,E1\n", &["row 1", "field code", "not a fine occupation"]),
        ("code,model,run,label\n2-02-10,A,1,E1\n", &["row 1", "field code"]),
        ("code,model,run,label\n9-99-99-99,A,1,E1\n", &["row 1", "field code"]),
        ("code,model,run,label\n2-02-10-03,A,one,E1\n", &["row 1", "field run", "not an integer"]),
        ("code,model,run,label\n2-02-10-03,,1,E1\n", &["row 1", "field model"]),
    ];
    for (csv, needles) in cases {
        let err = labels(csv).unwrap_err().to_string();
        for n in needles {
            assert!(err.contains(n), "{err:?} lacks {n:?}");
        }
    }
    let err = labels("code,model,run,label\n2-02-10-03,A,1,E1\n2-02-10-01,A,1,E1\n2-02-10-03,A,1,invalid\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("row 3") && err.contains("first on row 1") && err.contains("2-02-10-03, A, 1"), "{err}");
    let err = labels("code,model,label\n2-02-10-03,A,E1\n").unwrap_err().to_string();
    assert!(err.contains("missing column \"run\""), "{err}");
}

#[test]
fn parquet_labels_match_csv() {
    let csv = labels(FIXTURE).unwrap();
    let rows: Vec<Vec<&str>> = FIXTURE.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let col = |i: usize| -> ArrayRef { Arc::new(StringArray::from(rows.iter().map(|r| r[i]).collect::<Vec<_>>())) };
    let runs: ArrayRef =
        Arc::new(Int64Array::from(rows.iter().map(|r| r[2].parse::<i64>().unwrap()).collect::<Vec<_>>()));
    let batch =
        RecordBatch::try_from_iter([("code", col(0)), ("model", col(1)), ("run", runs), ("label", col(3))]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.parquet");
    let mut writer = ArrowWriter::try_new(std::fs::File::create(&path).unwrap(), batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let pq = LabelSet::read(&path, taxonomy()).unwrap();
    assert_eq!(pq.labels(), csv.labels());
    assert_eq!(pq.invalid(), 1);

    // A bad label in Parquet names its row too.
    let bad = RecordBatch::try_from_iter([
        ("code", Arc::new(StringArray::from(vec!["2-02-10-03", "2-02-10-03"])) as _),
        ("model", Arc::new(StringArray::from(vec!["A", "A"])) as _),
        ("run", Arc::new(Int64Array::from(vec![1, 2])) as _),
        ("label", Arc::new(StringArray::from(vec!["E1", "maybe"])) as _),
    ])
    .unwrap();
    let path = dir.path().join("bad.parquet");
    let mut writer = ArrowWriter::try_new(std::fs::File::create(&path).unwrap(), bad.schema(), None).unwrap();
    writer.write(&bad).unwrap();
    writer.close().unwrap();
    let err = LabelSet::read(&path, taxonomy()).unwrap_err().to_string();
    assert!(err.contains("bad.parquet") && err.contains("row 2") && err.contains("field label"), "{err}");
}

#[test]
fn example_labels_score_as_documented() {
    let labels = LabelSet::read(example("labels.example.csv"), taxonomy()).unwrap();
    assert_eq!(labels.invalid(), 1);
    assert_eq!(labels.invalid_by_model()["qwen-max"], 1);
    let s = ExposureScores::compute(&labels, &ExposureOptions::default());
    // README: 2-02-10-03 scores 5/6 by gpt-4o and 1 by qwen-max, 11/12 overall.
    close(s.score(Level::Fine, code("2-02-10-03")).unwrap(), 11.0 / 12.0);
    assert_eq!(s.dropped_labels(), 6);
    assert_eq!(s.level(Level::Fine).len(), 8);
    assert_eq!(s.level(Level::Medium).len(), 5);
}
