fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/ocd2022/csco22.csv");
    let t = zhiye_core::Taxonomy::from_path(path).unwrap();
    let s = zhiye_synth::generate_to_dir(
        &t,
        zhiye_synth::GeneratorOptions::default(),
        std::path::Path::new("/tmp/synthout"),
    )
    .unwrap();
    println!("{s:?}");
}
