//! [`Config`]: the run configuration, declared once with its documentation and
//! defaults. `config/default.toml` is the embedded default of `zhiye run`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{Error, Result};

/// The whole configuration of a run. Every field has a default, so an empty
/// file is a valid configuration.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the OCD 2022 taxonomy files are.
    pub taxonomy: TaxonomyConfig,
    /// The input corpus.
    pub corpus: CorpusConfig,
    /// What a run does with input files it cannot read.
    pub input: InputConfig,
    /// The classifier.
    pub classify: ClassifyConfig,
    /// De-duplication of reposted vacancies.
    pub dedup: DedupConfig,
    /// The published tables.
    pub aggregate: AggregateConfig,
    /// Exposure scores and the analyses that join them to the tables.
    pub exposure: ExposureConfig,
    /// Where the results go.
    pub output: OutputConfig,
}

/// `[taxonomy]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// Folder with `csco22.csv`, `cncity.csv`, `stopwords.txt`. Default
    /// `data/ocd2022` in a checkout (`make setup` fills it), else the copy
    /// `zhiye setup` installed (see [`crate::data`]).
    pub dir: PathBuf,
}

impl Default for TaxonomyConfig {
    fn default() -> Self {
        TaxonomyConfig { dir: crate::data::default_taxonomy_dir() }
    }
}

/// `[corpus]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CorpusConfig {
    /// Folder of month-partitioned posting Parquet files. Default `data/corpus`.
    pub dir: PathBuf,
    /// If the folder holds no Parquet, generate a synthetic corpus of this many
    /// postings there first (0: never generate). Default 200,000.
    pub generate_postings: u64,
    /// Seed of the generated corpus. Default 42.
    pub seed: u64,
}

impl Default for CorpusConfig {
    fn default() -> Self {
        CorpusConfig { dir: PathBuf::from("data/corpus"), generate_postings: 200_000, seed: 42 }
    }
}

/// `[input]`
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct InputConfig {
    /// A corpus file that cannot be read as posting Parquet (corrupt or
    /// truncated, empty, without the title column, gone or unreadable).
    /// Default `fail`.
    pub on_bad_file: OnBadFile,
}

/// What `zhiye run` does with a corpus file it cannot read.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OnBadFile {
    /// Stop before publishing anything: exit code 4, naming the file and why.
    #[default]
    Fail,
    /// Leave the file out, list it with its reason in the run summary, publish
    /// the rest and exit with code 5 ("published with skipped input").
    Skip,
}

/// `[classify]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ClassifyConfig {
    /// Candidates kept per posting. Default 5.
    pub top_k: usize,
    /// Scale of the description evidence as the fitted fusion weighs it
    /// (`config/fusion.toml`): 1 as fitted, 0 ignores the description. Default 1.
    pub description_weight: f32,
    /// Worker threads (0: one per core). Default 0.
    pub threads: usize,
    /// Rules and synonyms file (empty: none). Default `config/rules.toml` in
    /// a checkout, else the copy `zhiye setup` installed (see [`crate::data`]).
    pub rules: PathBuf,
    /// Confidence a level must reach to be trusted (hierarchical fallback).
    /// Default 0.5.
    pub level_threshold: f32,
    /// Titles whose summary the workers remember together (in each of two
    /// generations; 0: none): a repeated title is read once, with the same
    /// results. About 1.7 KB a title (182 candidates on average). Default 32768.
    pub title_memo: usize,
    /// Evidence fusion weights, a file `zhiye fit` writes (empty: the
    /// shipped `config/fusion.toml`, compiled in). Default empty.
    pub fusion: PathBuf,
    /// The boards' description vocabulary, a model `zhiye learn` writes
    /// (empty: none). It counts only as much as the fusion weighs its
    /// `learned` features: use it with a fusion fitted with it (`zhiye fit
    /// --description-model`). Default empty.
    pub description_model: PathBuf,
}

impl Default for ClassifyConfig {
    fn default() -> Self {
        ClassifyConfig {
            top_k: 5,
            description_weight: 1.0,
            threads: 0,
            rules: crate::data::default_rules_file(),
            level_threshold: 0.5,
            title_memo: 32768,
            fusion: PathBuf::new(),
            description_model: PathBuf::new(),
        }
    }
}

/// `[dedup]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DedupConfig {
    /// Flag reposts (same normalised employer, title and city within the
    /// window) and count their vacancies once. Default true.
    pub enabled: bool,
    /// Days within which a repost is the same vacancy. Default 30.
    pub window_days: i32,
    /// Memory for the repost sweep, which needs 24 bytes per posting: a larger
    /// corpus is swept in several passes over shares of the key space, so
    /// memory stays flat as the corpus grows. Default 32 MiB (1.4M postings a
    /// pass; 10M postings take 8 passes, each reading four columns again).
    pub memory_mb: u64,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig { enabled: true, window_days: 30, memory_mb: 32 }
    }
}

/// `[aggregate]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AggregateConfig {
    /// Vacancies counted for a posting whose head-count is missing or
    /// unspecified (若干). Default 1.
    pub missing_headcount: u32,
    /// Extra breakdowns, each published as `occupation_<name>`: any of `city`,
    /// `industry`, `platform`. Default `["industry"]` (industry exposure needs it).
    pub dimensions: Vec<String>,
    /// Phrases that make a posting mention AI skills, matched in the title
    /// and description (Latin letters case-insensitively). Default: 人工智能,
    /// 机器学习, 深度学习, 大模型, 神经网络, 自然语言处理, 计算机视觉, 生成式,
    /// ChatGPT, GPT, AIGC, LLM, AI.
    pub ai_keywords: Vec<String>,
}

impl Default for AggregateConfig {
    fn default() -> Self {
        let ai = ["人工智能", "机器学习", "深度学习", "大模型", "神经网络", "自然语言处理", "计算机视觉", "生成式"];
        let latin = ["ChatGPT", "GPT", "AIGC", "LLM", "AI"];
        AggregateConfig {
            missing_headcount: 1,
            dimensions: vec!["industry".into()],
            ai_keywords: ai.iter().chain(&latin).map(|s| s.to_string()).collect(),
        }
    }
}

/// `[exposure]`: inputs of the exposure scoring and the analyses; file
/// formats are documented, with an example of each, in `config/exposure/`.
/// An empty path switches its analysis off.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ExposureConfig {
    /// E0–E3 labels (`code, model, run, label`; CSV or Parquet), e.g. from
    /// `zhiye label`. Default `data/exposure/labels.csv`.
    pub labels: PathBuf,
    /// When `labels` does not exist, write SYNTHETIC labels there first (3
    /// models × 8 runs), so that the embedded default shows the whole method;
    /// the report says they are synthetic. Default true.
    pub synthetic_labels: bool,
    /// Large classes left out of the scores (the paper leaves out 1, 7, 8). Default `[1, 7, 8]`.
    pub exclude_large: Vec<u8>,
    /// Expert scores at the medium level (`code, score`), compared with the
    /// LLM scores (the paper's Fig. 1). Default: none.
    pub expert_medium: PathBuf,
    /// External exposure tables at any level, compared with the LLM scores:
    /// CSV `code, score`, or the JSON of yanmingcao/jobs-china. Default: none.
    pub external: Vec<PathBuf>,
    /// Occupation × industry intensities (`code, industry, weight`) for
    /// industry exposure. Default: none, the postings' own industry field.
    pub occupation_industry: PathBuf,
    /// Group × industry employment (`group, industry, employment`), e.g. by
    /// age, for demographic exposure (Fig. 7). Default: none.
    pub group_industry: PathBuf,
    /// Occupation → composite task group (`code, group[, weight]`) (Fig. 5). Default: none.
    pub task_groups: PathBuf,
}

impl Default for ExposureConfig {
    fn default() -> Self {
        ExposureConfig {
            labels: PathBuf::from("data/exposure/labels.csv"),
            synthetic_labels: true,
            exclude_large: vec![1, 7, 8],
            expert_medium: PathBuf::new(),
            external: Vec::new(),
            occupation_industry: PathBuf::new(),
            group_industry: PathBuf::new(),
            task_groups: PathBuf::new(),
        }
    }
}

/// `[output]`
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct OutputConfig {
    /// Folder of the published tables. Default `out`.
    pub dir: PathBuf,
    /// Write the HTML report to `<dir>/current/report`. Default true.
    pub report: bool,
    /// Published versions kept under `<dir>/versions` (the newest is
    /// `<dir>/current`); older ones are deleted after a publish. At least 1.
    /// Default 3.
    pub keep_versions: usize,
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig { dir: PathBuf::from("out"), report: true, keep_versions: 3 }
    }
}

impl Config {
    /// Parses TOML text; `origin` names the source in errors.
    pub fn from_toml(text: &str, origin: &Path) -> Result<Config> {
        toml::from_str(text).map_err(|source| Error::Config { path: origin.into(), source })
    }

    /// Reads and parses a TOML file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Config> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::ConfigFile { path: path.into(), source })?;
        Config::from_toml(&text, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_default_and_unknown_keys_fail() {
        assert_eq!(Config::from_toml("", Path::new("x")).unwrap(), Config::default());
        let c = Config::from_toml("[classify]\ntop_k = 3\n", Path::new("x")).unwrap();
        assert_eq!(c.classify.top_k, 3);
        let err = Config::from_toml("[classify]\ntopk = 3\n", Path::new("cfg.toml")).unwrap_err();
        assert_eq!(err.to_string(), "cfg.toml: not a valid configuration");
        assert!(crate::causes(&err).contains("topk"), "{err}");
    }
}
