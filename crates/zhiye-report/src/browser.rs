//! Checking written pages in a real headless browser (Chromium or Chrome).
//!
//! [`check`] loads a page twice: once with `--dump-dom`, to read the status
//! the page's own check script leaves on `<body>` (see the crate docs), and
//! once with `--screenshot`, to prove the page paints. Each run gets a fresh
//! temporary profile, so checks may run in parallel, and is killed after
//! [`TIMEOUT`].

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use std::{env, fs, thread};

use crate::{Error, Result};

/// Environment variable naming the browser executable; it takes precedence
/// over the search of `PATH`.
pub const BROWSER_ENV: &str = "ZHIYE_CHROMIUM";
/// Executables looked for on `PATH`, in order.
pub const BROWSER_NAMES: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];
/// How long one browser run may take before it is killed.
pub const TIMEOUT: Duration = Duration::from_secs(60);
/// A screenshot must be larger than this many bytes (a blank 1280×2000 PNG
/// is far smaller).
pub const SCREENSHOT_MIN_BYTES: u64 = 10_000;
/// Window size of the screenshot, px.
pub const WINDOW_SIZE: (u32, u32) = (1280, 2000);

/// What the page's check script found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BrowserCheck {
    /// Charts that were laid out and drew at least one data mark.
    pub charts_ok: usize,
    /// All `svg.chart` elements on the page.
    pub charts_total: usize,
    /// One line per chart that failed: `#<n> <kind> “<title>”: <reason>`.
    pub failed: Vec<String>,
}

impl BrowserCheck {
    /// Whether every chart rendered.
    pub fn all_ok(&self) -> bool {
        self.charts_ok == self.charts_total && self.failed.is_empty()
    }
}

/// The browser to use: `$ZHIYE_CHROMIUM` if set (it must be an executable
/// file), else the first of [`BROWSER_NAMES`] found on `PATH`.
pub fn find() -> Result<PathBuf> {
    if let Some(path) = env::var_os(BROWSER_ENV).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if is_executable(&path) { Ok(path) } else { Err(Error::BadBrowserPath(path)) };
    }
    let dirs: Vec<PathBuf> = env::var_os("PATH").map(|p| env::split_paths(&p).collect()).unwrap_or_default();
    BROWSER_NAMES
        .iter()
        .flat_map(|name| dirs.iter().map(move |d| d.join(name)))
        .find(|p| is_executable(p))
        .ok_or(Error::NoBrowser)
}

/// Loads `page` in the headless browser, reads the chart status its check
/// script reports, and saves a screenshot of it to `screenshot` (parent
/// folders are created; an old file is replaced).
///
/// An error means the check could not be made (no browser, browser failure
/// or timeout, no status on the page, missing or near-empty screenshot);
/// charts that did not render are reported in the returned
/// [`BrowserCheck`], not as an error.
pub fn check(page: &Path, screenshot: &Path) -> Result<BrowserCheck> {
    let browser = find()?;
    let page = fs::canonicalize(page).map_err(|e| Error::io(page, e))?;
    let url = file_url(&page);

    let dom = run(&browser, &page, &[OsString::from("--dump-dom"), OsString::from(&url)], TIMEOUT)?;
    let status = parse_status(&dom).ok_or_else(|| Error::NoChartStatus { page: page.clone() })?;

    let screenshot = std::path::absolute(screenshot).map_err(|e| Error::io(screenshot, e))?;
    if let Some(parent) = screenshot.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    match fs::remove_file(&screenshot) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(&screenshot, e)),
        _ => {}
    }
    let mut arg = OsString::from("--screenshot=");
    arg.push(&screenshot);
    let (w, h) = WINDOW_SIZE;
    run(&browser, &page, &[arg, OsString::from(format!("--window-size={w},{h}")), OsString::from(&url)], TIMEOUT)?;
    let bytes = fs::metadata(&screenshot).ok().map(|m| m.len());
    if bytes.is_none_or(|b| b <= SCREENSHOT_MIN_BYTES) {
        return Err(Error::Screenshot { path: screenshot, bytes, min_bytes: SCREENSHOT_MIN_BYTES });
    }
    Ok(status)
}

/// Runs the browser headless on `page` with `args` after the common flags
/// and returns its stdout; kills it after `timeout`.
fn run(browser: &Path, page: &Path, args: &[OsString], timeout: Duration) -> Result<String> {
    let fail = |message: String| Error::Browser { browser: browser.to_path_buf(), page: page.to_path_buf(), message };
    let io = |what: &'static str| {
        move |source| Error::BrowserIo { browser: browser.to_path_buf(), page: page.to_path_buf(), what, source }
    };
    let profile = tempfile::Builder::new()
        .prefix("zhiye-chromium-")
        .tempdir()
        .map_err(io("cannot create a temporary profile"))?;
    let mut profile_arg = OsString::from("--user-data-dir=");
    profile_arg.push(profile.path());
    let mut command = Command::new(browser);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=5000",
        ])
        .arg(profile_arg)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().map_err(io("cannot start"))?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());

    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(25)),
            Ok(None) => {
                kill(&mut child);
                return Err(Error::Timeout {
                    browser: browser.to_path_buf(),
                    page: page.to_path_buf(),
                    seconds: timeout.as_secs(),
                });
            }
            Err(e) => {
                kill(&mut child);
                return Err(io("cannot wait for the browser")(e));
            }
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    if !status.success() {
        return Err(fail(format!("exited with {status}; stderr ends:\n{}", tail(&stderr, 15))));
    }
    Ok(String::from_utf8_lossy(&stdout).into_owned())
}

/// Reads a child's pipe to the end on a thread (so a full pipe never blocks
/// the browser).
fn drain(pipe: Option<impl std::io::Read + Send + 'static>) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut buf);
        }
        buf
    })
}

/// Kills the browser and, on Unix, the process group it leads (its renderer
/// and helper processes), then reaps it.
fn kill(child: &mut Child) {
    #[cfg(unix)]
    let _ = rustix::process::kill_process_group(rustix::process::Pid::from_child(child), rustix::process::Signal::KILL);
    let _ = child.kill();
    let _ = child.wait();
}

/// The last `n` lines of `bytes`, lossily decoded.
fn tail(bytes: &[u8], n: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Whether `path` is a file that may be executed.
fn is_executable(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// A `file://` URL of an absolute path, percent-encoding everything but
/// unreserved characters and `/`.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for &b in path.to_string_lossy().as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// The chart status on the `<body>` start tag of a serialised DOM:
/// `data-charts-rendered="ok/total"` and `data-charts-failed` (a JSON array).
fn parse_status(dom: &str) -> Option<BrowserCheck> {
    let attrs = body_attributes(dom)?;
    let get = |name: &str| attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let (ok, total) = get("data-charts-rendered")?.split_once('/')?;
    let failed = match get("data-charts-failed") {
        Some(json) => serde_json::from_str(json).ok()?,
        None => Vec::new(),
    };
    Some(BrowserCheck { charts_ok: ok.trim().parse().ok()?, charts_total: total.trim().parse().ok()?, failed })
}

/// The attributes of the first `<body>` start tag, values unescaped.
fn body_attributes(dom: &str) -> Option<Vec<(String, String)>> {
    let start = dom.find("<body")? + "<body".len();
    let mut rest = &dom[start..];
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.starts_with('>') || rest.starts_with("/>") || rest.is_empty() {
            return Some(attrs);
        }
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')?.max(1);
        let name = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        let value = if let Some(after) = rest.strip_prefix('=') {
            let quote = after.chars().next()?;
            if quote == '"' || quote == '\'' {
                let end = after[1..].find(quote)? + 1;
                let value = &after[1..end];
                rest = &after[end + 1..];
                value
            } else {
                let end = after.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(after.len());
                rest = &after[end..];
                &after[..end]
            }
        } else {
            ""
        };
        attrs.push((name, unescape(value)));
    }
}

/// Undoes the character references a DOM serialiser writes in attribute
/// values.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_status_from_the_body_tag() {
        let dom = r#"<html><head></head><body class="x" data-charts-rendered="2/3" data-charts-failed="[&quot;#3 bars “图 &amp; &lt;x&gt;”: no data (empty chart)&quot;]"><p data-charts-rendered="9/9"></p></body></html>"#;
        let status = parse_status(dom).unwrap();
        assert_eq!(status.charts_ok, 2);
        assert_eq!(status.charts_total, 3);
        assert_eq!(status.failed, ["#3 bars “图 & <x>”: no data (empty chart)"]);
        assert!(!status.all_ok());
    }

    #[test]
    fn missing_status_is_none() {
        assert_eq!(parse_status("<html><body><p>hi</p></body></html>"), None);
        assert_eq!(parse_status("<html><body data-charts-rendered=\"x\"></body></html>"), None);
        assert_eq!(parse_status(""), None);
    }

    /// An executable shell script standing in for the browser.
    fn fake_browser(dir: &Path, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt as _;
        let path = dir.join("fake-browser");
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[test]
    fn run_returns_stdout_and_reports_failures() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("page.html");
        let ok = fake_browser(dir.path(), r#"echo '<body data-charts-rendered="1/1">'; echo noise >&2"#);
        let out = run(&ok, &page, &[], Duration::from_secs(10)).unwrap();
        assert_eq!(parse_status(&out).map(|s| s.all_ok()), Some(true));

        let failing = fake_browser(dir.path(), "echo 'cannot open display' >&2; exit 3");
        let err = run(&failing, &page, &[], Duration::from_secs(10)).unwrap_err();
        assert!(matches!(err, Error::Browser { .. }), "{err}");
        assert!(err.to_string().contains("cannot open display"), "{err}");
    }

    #[test]
    fn run_kills_a_hanging_browser() {
        let dir = tempfile::tempdir().unwrap();
        let hanging = fake_browser(dir.path(), "sleep 30 & sleep 30");
        let started = Instant::now();
        let err = run(&hanging, &dir.path().join("page.html"), &[], Duration::from_millis(300)).unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    }

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(file_url(Path::new("/tmp/a b/报告.html")), "file:///tmp/a%20b/%E6%8A%A5%E5%91%8A.html");
    }
}
