//! One module per subcommand.
pub mod aggregate;
pub mod arenas;
pub mod bench;
pub mod classify;
pub mod eval;
pub mod exposure;
pub mod fit;
pub mod generate;
pub mod import;
pub mod index;
pub mod label;
pub mod learn;
pub mod log;
pub mod output;
pub mod report;
pub mod run;
pub mod runs;
pub mod search;
pub mod setup;
pub mod taxonomy;

/// Sizes the global rayon pool; 0 keeps one thread per core.
pub fn init_threads(threads: usize) -> anyhow::Result<()> {
    if threads > 0 {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build_global()?;
    }
    Ok(())
}
