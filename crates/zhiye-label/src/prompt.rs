//! [`Template`]: the versioned rubric prompt, rendered per occupation, and the
//! prompt hash that keys the cache.

use std::path::Path;

use serde::Deserialize;
use zhiye_core::Class;

use crate::{LabelError, Result};

/// The placeholders a template may use.
const PLACEHOLDERS: [&str; 4] = ["{code}", "{name}", "{definition}", "{tasks}"];

/// A prompt template file: a version, a system message and a user message with
/// placeholders.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// The rubric's version, stored with every label.
    pub version: String,
    /// The system message.
    pub system: String,
    /// The user message, with `{code}`, `{name}`, `{definition}`, `{tasks}`.
    pub user: String,
}

/// The messages of one occupation's request and their hash.
#[derive(Clone, Debug, PartialEq)]
pub struct Prompt {
    /// The system message.
    pub system: String,
    /// The rendered user message.
    pub user: String,
    /// 16 hex digits of the BLAKE3 hash of version, system and user message:
    /// any change to the template or to the occupation's text changes it.
    pub hash: String,
}

impl Template {
    /// Reads a template; it must name the occupation (`{name}`) and use no
    /// other placeholder than `{code}`, `{name}`, `{definition}`, `{tasks}`.
    pub fn from_path(path: &Path) -> Result<Template> {
        let err = |message: String| LabelError::Config { path: path.into(), message };
        let text = std::fs::read_to_string(path).map_err(LabelError::io(path))?;
        let t: Template = toml::from_str(&text).map_err(|source| LabelError::Toml { path: path.into(), source })?;
        if !t.user.contains("{name}") {
            return Err(err("the user message never names the occupation ({name})".into()));
        }
        let mut rest = t.user.clone();
        for p in PLACEHOLDERS {
            rest = rest.replace(p, "");
        }
        if let Some(start) = rest.find('{') {
            let end = rest[start..].find('}').map_or(rest.len(), |e| start + e + 1);
            return Err(err(format!("unknown placeholder {:?}", &rest[start..end.min(start + 40)])));
        }
        Ok(t)
    }

    /// The prompt of one occupation.
    pub fn render(&self, class: &Class) -> Prompt {
        let tasks: String = if class.tasks.is_empty() {
            "（未列出）".to_string()
        } else {
            class.tasks.iter().enumerate().map(|(i, t)| format!("{}. {t}\n", i + 1)).collect::<String>()
        };
        let definition = if class.definition.trim().is_empty() { "（未给出）" } else { class.definition.trim() };
        let user = self
            .user
            .replace("{code}", &class.code.to_string())
            .replace("{name}", &class.name)
            .replace("{definition}", definition)
            .replace("{tasks}", tasks.trim_end());
        let mut h = blake3::Hasher::new();
        for part in [&self.version, &self.system, &user] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        let hash = h.finalize().to_hex()[..16].to_string();
        Prompt { system: self.system.clone(), user, hash }
    }
}
