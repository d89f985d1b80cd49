//! The published tables are byte-identical whatever the number of threads and
//! however the same classified rows are split into files and row groups (the
//! nightly batch compares its outputs byte for byte).

use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int8Array, Int32Array, RecordBatch, StringArray, UInt8Array,
    UInt32Array, UInt64Array,
};
use arrow_schema::DataType;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use zhiye_agg::{AggregateOptions, Dimension, NamedTable, aggregate};
use zhiye_core::Taxonomy;

/// Classified rows: enough that one file is read as several batches (8,192
/// rows each), so that the engine splits the scan across partitions.
const ROWS: usize = 20_000;

fn taxonomy() -> Taxonomy {
    Taxonomy::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/ocd2022/csco22.csv")).unwrap()
}

/// SplitMix64: a fixed pseudo-random stream.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Varied classified postings: a few dozen occupations in several large and
/// medium groups (so the roll-ups add many partials), unclassified postings,
/// missing dates, reposts, missing head-counts, wages with arbitrary
/// decimals, experience 0–10 years, education and AI mentions.
fn postings(taxonomy: &Taxonomy) -> RecordBatch {
    let occupations = taxonomy.occupations();
    // Every 37th occupation, and a run of neighbours (the same small class).
    let codes: Vec<String> = occupations
        .iter()
        .step_by(37)
        .chain(&occupations[100..112])
        .map(|&i| taxonomy.classes()[i].code.to_string())
        .collect();
    let mut rng = Rng(20_240_601);
    let (cities, industries, platforms) =
        (["北京", "上海", "成都", "深圳"], ["IT", "制造", "零售"], ["boss", "zhilian"]);
    let mut code = Vec::with_capacity(ROWS);
    let (mut year, mut month) = (Vec::with_capacity(ROWS), Vec::with_capacity(ROWS));
    let (mut city, mut industry, mut platform) = (Vec::new(), Vec::new(), Vec::new());
    let (mut dup_of, mut headcount, mut wage) = (Vec::new(), Vec::new(), Vec::new());
    let (mut exp_min, mut education, mut ai) = (Vec::new(), Vec::new(), Vec::new());
    for row in 0..ROWS as u64 {
        // Skewed towards the first codes, 4% unclassified.
        let c = rng.below(100);
        code.push((c >= 4).then(|| {
            let k = rng.below(codes.len() as u64) as usize;
            codes[if c < 50 { k % 6 } else { k }].clone()
        }));
        let dated = rng.below(100) != 0;
        year.push(dated.then(|| 2018 + rng.below(7) as i32));
        month.push(dated.then(|| 1 + rng.below(12) as i32));
        city.push(cities[rng.below(4) as usize]);
        industry.push((rng.below(20) != 0).then(|| industries[rng.below(3) as usize]));
        platform.push(platforms[rng.below(2) as usize]);
        dup_of.push((row > 0 && rng.below(10) == 0).then(|| rng.below(row)));
        headcount.push((rng.below(10) >= 3).then(|| 1 + rng.below(10) as u32));
        // 2,000–90,000 CNY with arbitrary decimals; some missing, a few zero.
        let w = rng.below(100);
        wage.push(match w {
            0..=11 => None,
            12 => Some(0.0),
            _ => Some(2_000.0 * 45f64.powf(rng.unit())),
        });
        exp_min.push((rng.below(5) != 0).then(|| rng.below(11) as u8));
        education.push((rng.below(10) != 0).then(|| rng.below(7) as i8));
        ai.push(rng.below(20) == 0);
    }
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("code", Arc::new(StringArray::from(code))),
        ("year", Arc::new(Int32Array::from(year))),
        ("month", Arc::new(Int32Array::from(month))),
        ("city", Arc::new(StringArray::from(city))),
        ("industry", Arc::new(StringArray::from(industry))),
        ("platform", Arc::new(StringArray::from(platform))),
        ("row", Arc::new(UInt64Array::from((0..ROWS as u64).collect::<Vec<_>>()))),
        ("dup_of", Arc::new(UInt64Array::from(dup_of))),
        ("headcount", Arc::new(UInt32Array::from(headcount))),
        ("wage", Arc::new(Float64Array::from(wage))),
        ("exp_min", Arc::new(UInt8Array::from(exp_min))),
        ("education", Arc::new(Int8Array::from(education))),
        ("ai_mention", Arc::new(BooleanArray::from(ai))),
    ];
    RecordBatch::try_from_iter(columns).unwrap()
}

fn write(path: &Path, batch: &RecordBatch, row_group: Option<usize>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let props = row_group.map(|n| WriterProperties::builder().set_max_row_group_row_count(Some(n)).build());
    let mut w = ArrowWriter::try_new(std::fs::File::create(path).unwrap(), batch.schema(), props).unwrap();
    w.write(batch).unwrap();
    w.close().unwrap();
}

/// The rows as one file with one row group.
fn one_file(dir: &Path, batch: &RecordBatch) {
    write(&dir.join("all.parquet"), batch, None);
}

/// The same rows shuffled, in five files of unequal sizes in nested folders,
/// with row groups of 700 rows.
fn five_files(dir: &Path, batch: &RecordBatch) {
    let n = batch.num_rows();
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut rng = Rng(7);
    for i in (1..n).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let shuffled = datafusion::arrow::compute::take_record_batch(batch, &UInt32Array::from(order)).unwrap();
    let bounds = [0, n / 10, n / 3, n / 2, n * 4 / 5, n];
    for (i, w) in bounds.windows(2).enumerate() {
        let part = shuffled.slice(w[0], w[1] - w[0]);
        write(&dir.join(format!("month=2020-0{}/part-{i}.parquet", 5 - i)), &part, Some(700));
    }
}

/// A table as the caller publishes it: Parquet bytes.
fn parquet_bytes(batch: &RecordBatch) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = ArrowWriter::try_new(&mut out, batch.schema(), None).unwrap();
    w.write(batch).unwrap();
    w.close().unwrap();
    out
}

/// Where two tables differ: the first column and row, floats compared by bits.
fn first_difference(a: &RecordBatch, b: &RecordBatch) -> String {
    if a.schema() != b.schema() || a.num_rows() != b.num_rows() {
        return format!("schema or rows: {} rows vs {}", a.num_rows(), b.num_rows());
    }
    for (field, (x, y)) in a.schema().fields().iter().zip(a.columns().iter().zip(b.columns())) {
        if field.data_type() == &DataType::Float64 {
            let (x, y) = (x.as_primitive::<Float64Type>(), y.as_primitive::<Float64Type>());
            let bits = |a: &arrow_array::Float64Array, i: usize| (!a.is_null(i)).then(|| a.value(i).to_bits());
            if let Some(i) = (0..x.len()).find(|&i| bits(x, i) != bits(y, i)) {
                let v = |a: &arrow_array::Float64Array| (!a.is_null(i)).then(|| a.value(i));
                return format!("{} row {i}: {:?} vs {:?}", field.name(), v(x), v(y));
            }
        } else if x != y {
            return format!("column {}", field.name());
        }
    }
    "only in the Parquet bytes".into()
}

#[test]
fn tables_are_identical_for_any_threads_and_file_layout() {
    let taxonomy = taxonomy();
    let batch = postings(&taxonomy);
    let (one, five) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    one_file(one.path(), &batch);
    five_files(five.path(), &batch);
    let dimensions = vec![Dimension::Industry, Dimension::City, Dimension::Platform];
    let run = |dir: &Path, threads: usize| -> Vec<NamedTable> {
        let options = AggregateOptions { dimensions: dimensions.clone(), threads, ..Default::default() };
        aggregate(dir, &taxonomy, &options).unwrap()
    };
    let reference = run(one.path(), 1);
    let bytes: Vec<Vec<u8>> = reference.iter().map(|t| parquet_bytes(&t.batch)).collect();
    assert!(reference.iter().all(|t| t.batch.num_rows() > 0));
    let mut differences = Vec::new();
    for (layout, dir) in [("one file", one.path()), ("five files", five.path())] {
        for threads in [1, 2, 3, 4] {
            if (layout, threads) == ("one file", 1) {
                continue;
            }
            let tables = run(dir, threads);
            assert_eq!(tables.len(), reference.len());
            for ((t, r), want) in tables.iter().zip(&reference).zip(&bytes) {
                assert_eq!(t.name, r.name);
                if parquet_bytes(&t.batch) != *want {
                    let at = first_difference(&r.batch, &t.batch);
                    differences.push(format!("{layout}, {threads} threads: {} differs ({at})", t.name));
                }
            }
        }
    }
    assert!(differences.is_empty(), "against one file on 1 thread:\n{}", differences.join("\n"));
}

fn f64_column<'a>(batch: &'a RecordBatch, name: &str) -> &'a Float64Array {
    batch.column_by_name(name).unwrap_or_else(|| panic!("no column {name}")).as_primitive::<Float64Type>()
}

fn assert_close(what: &str, got: Option<f64>, want: f64) {
    let got = got.unwrap_or_else(|| panic!("{what}: null, want {want}"));
    assert!((got - want).abs() <= 1e-9 * want.abs().max(1e-3), "{what}: {got} != {want}");
}

/// The exact sums agree with sums in `f64` (within 10⁻⁹): mean wages, the
/// experience premium (OLS slope, standard error, 3+/none wage ratio) of every
/// fine occupation, and the share trend from the published shares.
#[test]
fn exact_sums_agree_with_floating_point_references() {
    use std::collections::BTreeMap;
    let taxonomy = taxonomy();
    let batch = postings(&taxonomy);
    let dir = tempfile::tempdir().unwrap();
    five_files(dir.path(), &batch);
    let options = AggregateOptions { dimensions: vec![], threads: 2, ..Default::default() };
    let tables = aggregate(dir.path(), &taxonomy, &options).unwrap();
    let table = |name: &str| &tables.iter().find(|t| t.name == name).unwrap().batch;

    let code = batch.column_by_name("code").unwrap().as_string::<i32>();
    let year = batch.column_by_name("year").unwrap().as_primitive::<arrow_array::types::Int32Type>();
    let dup = batch.column_by_name("dup_of").unwrap();
    let wage = f64_column(&batch, "wage");
    let exp = batch.column_by_name("exp_min").unwrap().as_primitive::<arrow_array::types::UInt8Type>();
    // Per fine code × year: (n, Σ wage); per fine code: the (x, wage) pairs.
    let mut wages: BTreeMap<(String, Option<i32>), (f64, f64)> = BTreeMap::new();
    let mut pairs: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for i in 0..batch.num_rows() {
        if code.is_null(i) || !dup.is_null(i) || wage.is_null(i) || wage.value(i) <= 0.0 {
            continue;
        }
        let c = code.value(i).to_string();
        let e = wages.entry((c.clone(), (!year.is_null(i)).then(|| year.value(i)))).or_default();
        *e = (e.0 + 1.0, e.1 + wage.value(i));
        if !exp.is_null(i) {
            pairs.entry(c).or_default().push((f64::from(exp.value(i)), wage.value(i)));
        }
    }

    let oy = table("occupation_year");
    let (level, oy_code) = (oy.column_by_name("level").unwrap().as_string::<i32>(), oy.column_by_name("code").unwrap());
    let oy_code = oy_code.as_string::<i32>();
    let oy_year = oy.column_by_name("year").unwrap().as_primitive::<arrow_array::types::Int32Type>();
    let mean = f64_column(oy, "wage_mean");
    let mut checked = 0;
    for i in (0..oy.num_rows()).filter(|&i| level.value(i) == "fine" && !oy_code.is_null(i)) {
        let key = (oy_code.value(i).to_string(), (!oy_year.is_null(i)).then(|| oy_year.value(i)));
        if let Some(&(n, sum)) = wages.get(&key) {
            assert_close(&format!("wage_mean {key:?}"), (!mean.is_null(i)).then(|| mean.value(i)), sum / n);
            checked += 1;
        }
    }
    assert_eq!(checked, wages.len());

    let ep = table("experience_premium");
    let ep_level = ep.column_by_name("level").unwrap().as_string::<i32>();
    let ep_code = ep.column_by_name("code").unwrap().as_string::<i32>();
    let (slope, se, ratio) =
        (f64_column(ep, "premium_slope"), f64_column(ep, "premium_se"), f64_column(ep, "premium_ratio_3plus"));
    let at = |a: &Float64Array, i: usize| (!a.is_null(i)).then(|| a.value(i));
    for i in (0..ep.num_rows()).filter(|&i| ep_level.value(i) == "fine") {
        let pts = &pairs[ep_code.value(i)];
        let n = pts.len() as f64;
        let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
        let my = pts.iter().map(|p| p.1.ln()).sum::<f64>() / n;
        let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
        let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1.ln() - my)).sum();
        let b = sxy / sxx;
        let rss: f64 = pts.iter().map(|p| (p.1.ln() - my - b * (p.0 - mx)).powi(2)).sum();
        let mean_of = |f: fn(f64) -> bool| {
            let w: Vec<f64> = pts.iter().filter(|p| f(p.0)).map(|p| p.1).collect();
            w.iter().sum::<f64>() / w.len() as f64
        };
        let c = ep_code.value(i);
        assert_close(&format!("premium_slope {c}"), at(slope, i), b);
        assert_close(&format!("premium_se {c}"), at(se, i), (rss / (n - 2.0) / sxx).sqrt());
        assert_close(&format!("premium_ratio_3plus {c}"), at(ratio, i), mean_of(|x| x >= 3.0) / mean_of(|x| x == 0.0));
    }
    assert!(ep.num_rows() > 4 * 10, "{} premium rows", ep.num_rows());

    // The share trend: the OLS slope of ln share on the year, from the published shares.
    let share = f64_column(oy, "vacancy_share");
    let mut series: BTreeMap<(String, String), Vec<(f64, f64)>> = BTreeMap::new();
    for i in (0..oy.num_rows()).filter(|&i| !oy_code.is_null(i) && !oy_year.is_null(i) && share.value(i) > 0.0) {
        let key = (level.value(i).to_string(), oy_code.value(i).to_string());
        series.entry(key).or_default().push((f64::from(oy_year.value(i)), share.value(i).ln()));
    }
    let g = table("share_growth");
    let (g_level, g_code) =
        (g.column_by_name("level").unwrap().as_string::<i32>(), g.column_by_name("code").unwrap().as_string::<i32>());
    let trend = f64_column(g, "share_trend");
    let years = g.column_by_name("trend_years").unwrap().as_primitive::<arrow_array::types::Int64Type>();
    assert!(g.num_rows() >= series.len() && g.num_rows() > 4 * 10, "{} share_growth rows", g.num_rows());
    for i in 0..g.num_rows() {
        let key = (g_level.value(i).to_string(), g_code.value(i).to_string());
        let pts = series.get(&key).map_or(&[][..], Vec::as_slice);
        assert_eq!(years.value(i) as usize, pts.len());
        if pts.len() < 2 {
            assert!(trend.is_null(i), "share_trend {key:?} from {} years", pts.len());
            continue;
        }
        let n = pts.len() as f64;
        let (mx, my) = (pts.iter().map(|p| p.0).sum::<f64>() / n, pts.iter().map(|p| p.1).sum::<f64>() / n);
        let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
        assert_close(&format!("share_trend {key:?}"), at(trend, i), sxy / sxx);
    }
}
