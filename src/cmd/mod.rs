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

/// `--taxonomy` and `--rules` of the commands that build a classifier with
/// the default options from files (`fit`, `learn`).
#[derive(Debug, clap::Args)]
pub struct ClassifierFiles {
    /// Rules file [default: the configuration's, classify.rules]
    #[arg(long)]
    rules: Option<std::path::PathBuf>,
    /// Folder holding the taxonomy files [default: the configuration's, taxonomy.dir]
    #[arg(long)]
    taxonomy: Option<std::path::PathBuf>,
}

impl ClassifierFiles {
    /// The taxonomy and a classifier with the default options, from these
    /// files or else the configuration's.
    pub fn build(&self, g: &log::Global) -> anyhow::Result<(zhiye_core::Taxonomy, zhiye_text::Classifier)> {
        use anyhow::Context as _;
        let config = g.config()?;
        let dir = self.taxonomy.clone().unwrap_or(config.taxonomy.dir);
        let rules = self.rules.clone().unwrap_or(config.classify.rules);
        let rules = (!rules.as_os_str().is_empty()).then_some(rules.as_path());
        zhiye_text::Classifier::from_dir(&dir, rules, zhiye_text::ClassifierOptions::default())
            .context("cannot build the classifier")
    }
}

/// Sizes the global rayon pool; 0 keeps one thread per core.
pub fn init_threads(threads: usize) -> anyhow::Result<()> {
    if threads > 0 {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build_global()?;
    }
    Ok(())
}
