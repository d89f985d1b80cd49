//! SYNTHETIC E0–E3 exposure labels, the shape `zhiye label` produces: for
//! each fine occupation × model × run, one label. They let `zhiye run` show
//! the whole method on the embedded default before real labels exist; the
//! report says they are synthetic.
//!
//! Each occupation gets a latent exposure: a base by large class (office and
//! professional work high, manual work low), raised by task words that LLM
//! tools are good at (文字, 数据, 翻译, 设计 …) and lowered by physical
//! ones (操作, 搬运, 驾驶 …). Each model shifts it a little, and each run draws
//! a label around it, so models correlate strongly but not perfectly, as in
//! the paper.

use std::io::Write;
use std::path::Path;

use zhiye_core::Taxonomy;

use crate::rng::{Rng, derive, hash_str};

const DIGITAL: &[&str] =
    &["文字", "数据", "翻译", "设计", "编写", "分析", "程序", "软件", "文案", "咨询", "统计", "编辑"];
const PHYSICAL: &[&str] =
    &["操作", "搬运", "驾驶", "维修", "种植", "养殖", "焊接", "装配", "清洁", "烹", "安装", "护理"];

/// The latent exposure (0–1) of an occupation.
fn latent(large: u8, text: &str) -> f64 {
    let base = match large {
        2 => 0.45,
        3 => 0.5,
        1 => 0.35,
        4 => 0.3,
        _ => 0.15,
    };
    let up = DIGITAL.iter().filter(|w| text.contains(*w)).count() as f64;
    let down = PHYSICAL.iter().filter(|w| text.contains(*w)).count() as f64;
    (base + 0.08 * up - 0.08 * down).clamp(0.02, 0.95)
}

/// Writes `code,model,run,label` rows for every occupation of `taxonomy`,
/// `models` × `runs` each, deterministically for `seed`; returns the rows written.
pub fn write_synthetic_labels(
    taxonomy: &Taxonomy,
    models: &[&str],
    runs: u32,
    seed: u64,
    path: &Path,
) -> std::io::Result<u64> {
    zhiye_core::fs::write_atomic_with(path, |out| {
        writeln!(out, "code,model,run,label")?;
        let mut rows = 0;
        for &i in taxonomy.occupations() {
            let class = &taxonomy.classes()[i];
            let text = format!("{}{}{}", class.name, class.definition, class.tasks.concat());
            let p = latent(class.code.parts()[0], &text);
            let code = class.code.to_string();
            for model in models {
                let mut rng = Rng::new(derive(seed, hash_str(&code) ^ hash_str(model)));
                let bias = (rng.unit() - 0.5) * 0.2;
                for run in 1..=runs {
                    let q = (p + bias + (rng.unit() - 0.5) * 0.3).clamp(0.0, 1.0);
                    // Direct exposure (E1) at the top, tool-assisted (E2/E3) in the middle.
                    let label = match q {
                        q if q >= 0.6 => "E1",
                        q if q >= 0.45 => "E2",
                        q if q >= 0.35 => "E3",
                        _ => "E0",
                    };
                    writeln!(out, "{code},{model},{run},{label}")?;
                    rows += 1;
                }
            }
        }
        Ok(rows)
    })
}
