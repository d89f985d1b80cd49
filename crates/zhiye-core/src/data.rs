//! Where zhiye finds the files it ships apart from the binary — the OCD 2022
//! taxonomy and the rules — when the configuration names none: in a checkout
//! (after `make setup`) the repository's `data/ocd2022` and `config/rules.toml`
//! under the working directory; anywhere else the copies `zhiye setup`
//! installed into the user data directory ([`user_data_dir`]).

use std::path::PathBuf;

/// The taxonomy's folder inside a data directory.
pub const TAXONOMY_DIR: &str = "ocd2022";

/// The rules file inside a data directory.
pub const RULES_FILE: &str = "rules.toml";

/// `$ZHIYE_DATA_DIR`, else `$XDG_DATA_HOME/zhiye`, else
/// `$HOME/.local/share/zhiye` (the XDG default); `None` without any of them.
pub fn user_data_dir() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    var("ZHIYE_DATA_DIR")
        .or_else(|| var("XDG_DATA_HOME").map(|d| d.join("zhiye")))
        .or_else(|| var("HOME").map(|h| h.join(".local/share/zhiye")))
}

/// `data/ocd2022` when the working directory holds it (a checkout), else the
/// user data directory's `ocd2022`.
pub fn default_taxonomy_dir() -> PathBuf {
    in_checkout_or_installed("data/ocd2022", TAXONOMY_DIR)
}

/// `config/rules.toml` when the working directory holds it (a checkout),
/// else the user data directory's `rules.toml`.
pub fn default_rules_file() -> PathBuf {
    in_checkout_or_installed("config/rules.toml", RULES_FILE)
}

fn in_checkout_or_installed(checkout: &str, installed: &str) -> PathBuf {
    let local = PathBuf::from(checkout);
    if local.exists() {
        return local;
    }
    user_data_dir().map_or(local, |d| d.join(installed))
}
