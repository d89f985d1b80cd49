//! Prints a few synthetic postings of one month, one field per line:
//! `cargo run --release -p zhiye-synth --example sample -- [MONTH_INDEX] [COUNT] [SEED]`.

use arrow_array::{Array, Date32Array, StringArray};
use zhiye_synth::{Generator, GeneratorOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let month: usize = args.next().map_or(Ok(0), |a| a.parse())?;
    let count: usize = args.next().map_or(Ok(5), |a| a.parse())?;
    let seed: u64 = args.next().map_or(Ok(42), |a| a.parse())?;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/ocd2022/csco22.csv");
    let taxonomy = zhiye_core::Taxonomy::from_path(path).map_err(|e| format!("{e} (run `make setup`)"))?;
    let generator = Generator::new(&taxonomy, GeneratorOptions::default().seed(seed))?;
    let Some(batch) = generator.month_batches(month, count).next() else {
        return Err(format!("month {month} has no postings").into());
    };
    let schema = batch.schema();
    for row in 0..batch.num_rows() {
        println!("--- {}", row + 1);
        for (c, field) in schema.fields().iter().enumerate() {
            let a = batch.column(c);
            let value = if a.is_null(row) {
                "∅".to_string()
            } else if let Some(d) = a.as_any().downcast_ref::<Date32Array>() {
                d.value_as_date(row).map_or_else(String::new, |d| d.to_string())
            } else if let Some(s) = a.as_any().downcast_ref::<StringArray>() {
                format!("{:?}", s.value(row))
            } else {
                String::new()
            };
            println!("{:>16}: {value}", field.name());
        }
    }
    Ok(())
}
