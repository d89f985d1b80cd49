//! Table 1 against an independent computation and scipy reference values.

mod common;

use std::collections::BTreeMap;

use common::{close, example, example_scores};
use zhiye_analysis::Cell;
use zhiye_analysis::exposure::{AVERAGE, Table1};
use zhiye_core::Level;

/// Per-model and average occupation scores recomputed straight from the CSV.
fn naive_fine_series() -> BTreeMap<String, BTreeMap<String, f64>> {
    let text = std::fs::read_to_string(example("labels.example.csv")).unwrap();
    let mut runs: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let value = match f[3] {
            "E0" => 0.0,
            "E1" => 1.0,
            "E2" | "E3" => 0.5,
            _ => continue,
        };
        if !f[0].starts_with(['1', '7', '8']) {
            runs.entry((f[1].to_string(), f[0].to_string())).or_default().push(value);
        }
    }
    let mut series: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for ((model, code), v) in runs {
        series.entry(model).or_default().insert(code, v.iter().sum::<f64>() / v.len() as f64);
    }
    let mut average: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for s in series.values() {
        for (c, v) in s {
            average.entry(c.clone()).or_default().push(*v);
        }
    }
    let average = average.into_iter().map(|(c, v)| (c, v.iter().sum::<f64>() / v.len() as f64)).collect();
    series.insert(AVERAGE.to_string(), average);
    series
}

#[test]
fn fine_panel_matches_independent_computation() {
    let table = Table1::compute(&example_scores());
    let fine = &table.panels[0];
    assert_eq!(fine.level, Level::Fine);
    let naive = naive_fine_series();
    assert_eq!(fine.summaries.len(), naive.len());
    for s in &fine.summaries {
        let xs: Vec<f64> = naive[&s.series].values().copied().collect();
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        // Σx² form of the sample variance, independent of the crate's two-pass code.
        let var = (xs.iter().map(|x| x * x).sum::<f64>() - n * m * m) / (n - 1.0);
        assert_eq!(s.n, xs.len());
        close(s.mean.unwrap(), m);
        assert!((s.std.unwrap() - var.sqrt()).abs() < 1e-12);
    }
    // scipy: numpy std(ddof=1) and pearsonr of the same series.
    let reference =
        [("gpt-4o", 0.6041666666666666, 0.37730771408905905), ("qwen-max", 0.5729166666666667, 0.4019730603782314)];
    for (series, mean, std) in reference {
        let s = fine.summaries.iter().find(|s| s.series == series).unwrap();
        assert!((s.mean.unwrap() - mean).abs() < 1e-6 && (s.std.unwrap() - std).abs() < 1e-6);
    }
    let pairs = [
        ("gpt-4o", "qwen-max", 0.9239219641446873, 0.001038968304041071),
        ("gpt-4o", AVERAGE, 0.9795491308118242, 2.1056689901178008e-05),
        ("qwen-max", AVERAGE, 0.9820042083687905, 1.4373837824112989e-05),
    ];
    assert_eq!(fine.correlations.len(), pairs.len());
    for (c, (a, b, r, p)) in fine.correlations.iter().zip(pairs) {
        assert_eq!((c.a.as_str(), c.b.as_str(), c.n), (a, b, 8));
        let k = c.correlation.unwrap();
        assert!((k.r - r).abs() < 1e-6 && (k.p - p).abs() < 1e-6, "{c:?}");
    }
}

#[test]
fn medium_panel_and_tables() {
    let table = Table1::compute(&example_scores());
    let medium = &table.panels[1];
    assert_eq!(medium.level, Level::Medium);
    // scipy.stats.pearsonr of gpt-4o and average medium scores: 0.992840934098288, p 0.0007263592590814527.
    let c = medium.correlations.iter().find(|c| c.a == "gpt-4o" && c.b == AVERAGE).unwrap();
    let k = c.correlation.unwrap();
    assert_eq!(c.n, 5);
    assert!((k.r - 0.992840934098288).abs() < 1e-6 && (k.p - 0.0007263592590814527).abs() < 1e-6);
    assert_eq!(k.stars(), "***");

    let summary = table.summary_table();
    assert_eq!(summary.columns, ["level", "series", "n", "mean", "std"]);
    assert_eq!(summary.rows.len(), 6);
    assert_eq!(summary.rows[5][..3], [Cell::from("medium"), Cell::from(AVERAGE), Cell::Int(5)]);
    let corr = table.correlation_table();
    assert_eq!(corr.rows.len(), 6);
    assert_eq!(corr.rows[0][6], Cell::from("***"));
    let mut csv = Vec::new();
    corr.write_csv(&mut csv).unwrap();
    assert!(String::from_utf8(csv).unwrap().starts_with("level,a,b,n,r,p,stars\nfine,gpt-4o,qwen-max,8,0.92392"));
}
