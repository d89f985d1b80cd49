use arrow_array::{Array, StringArray};
use std::collections::HashMap;
use zhiye_ingest::{col, posting_schema};

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/ocd2022/csco22.csv");
    let t = zhiye_core::Taxonomy::from_path(path).unwrap();
    let g = zhiye_synth::Generator::new(&t, zhiye_synth::GeneratorOptions::default()).unwrap();
    let s = posting_schema();
    let i = |n: &str| s.index_of(n).unwrap();
    let mut count: HashMap<(String, String), usize> = HashMap::new();
    let mut n = 0usize;
    let mut desc_hist = [0usize; 8];
    let names: HashMap<String, (String, Vec<String>)> = t
        .occupations()
        .iter()
        .map(|&k| {
            let c = &t.classes()[k];
            (c.code.to_string(), (c.name.clone(), c.aliases.clone()))
        })
        .collect();
    let mut clean = 0;
    for m in 0..g.months() {
        let year = g.month_label(m)[..4].to_string();
        for b in g.month_batches(m, 65536) {
            let get = |name: &str| b.column(i(name)).as_any().downcast_ref::<StringArray>().unwrap().clone();
            let comp = get(col::COMPANY);
            let (code, plat, sal, city, desc, title, exp, edu, hc, ind) = (
                get(col::TRUE_CODE),
                get(col::PLATFORM),
                get(col::SALARY_TEXT),
                get(col::CITY),
                get(col::DESCRIPTION),
                get(col::TITLE),
                get(col::EXPERIENCE_TEXT),
                get(col::EDUCATION_TEXT),
                get(col::HEADCOUNT_TEXT),
                get(col::INDUSTRY),
            );
            for r in 0..b.num_rows() {
                n += 1;
                let c = code.value(r);
                let mut add = |k: &str, v: String| *count.entry((k.to_string(), v)).or_default() += 1;
                add("large", c[..1].to_string());
                if !comp.is_null(r) {
                    add("comp", comp.value(r).to_string());
                }
                add("medium", c[..4].to_string());
                add("occ", format!("{} {}", c, names[c].0));
                add("plat", format!("{year} {}", plat.value(r)));
                add("platall", plat.value(r).to_string());
                let pat = |s: &str| {
                    s.chars()
                        .map(|ch| if ch.is_ascii_digit() { 'N' } else { ch })
                        .collect::<String>()
                        .replace("NN", "N")
                        .replace("NN", "N")
                        .replace("NN", "N")
                };
                add("sal", if sal.is_null(r) { "<null>".into() } else { pat(sal.value(r)) });
                add("exp", if exp.is_null(r) { "<null>".into() } else { exp.value(r).to_string() });
                add("edu", if edu.is_null(r) { "<null>".into() } else { edu.value(r).to_string() });
                add("hc", if hc.is_null(r) { "<null>".into() } else { pat(hc.value(r)) });
                add("ind", if ind.is_null(r) { "<null>".into() } else { ind.value(r).to_string() });
                add("city", if city.is_null(r) { "<null>".into() } else { city.value(r).to_string() });
                add(
                    "it",
                    format!("{year} {}", c.starts_with("2-02-10") || c.starts_with("2-02-38") || c.starts_with("4-04")),
                );
                if !desc.is_null(r) {
                    let l = desc.value(r).chars().count();
                    desc_hist[(l / 100).min(7)] += 1;
                }
                let tt = title.value(r);
                if tt == names[c].0 || names[c].1.iter().any(|a| a == tt) {
                    clean += 1;
                }
            }
        }
    }
    println!("n={n} clean titles={:.3} desc hist per 100 chars={desc_hist:?}", clean as f64 / n as f64);
    for (kind, top) in [
        ("large", 10),
        ("medium", 25),
        ("occ", 40),
        ("platall", 6),
        ("plat", 36),
        ("sal", 40),
        ("exp", 30),
        ("edu", 25),
        ("hc", 15),
        ("ind", 40),
        ("city", 30),
        ("it", 12),
        ("comp", 15),
    ] {
        let mut v: Vec<(&String, &usize)> =
            count.iter().filter(|((k, _), _)| k == kind).map(|((_, v), c)| (v, c)).collect();
        v.sort_by(|a, b| if kind == "plat" || kind == "it" { a.0.cmp(b.0) } else { b.1.cmp(a.1) });
        println!("== {kind} ({} distinct)", v.len());
        println!(
            "{}",
            v.iter()
                .take(top)
                .map(|(k, c)| format!("{k}:{:.1}%", **c as f64 * 100.0 / n as f64))
                .collect::<Vec<_>>()
                .join("  ")
        );
    }
}
