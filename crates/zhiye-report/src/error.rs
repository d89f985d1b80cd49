use std::path::PathBuf;

/// Errors of writing a report and of checking it in a browser.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The model cannot be rendered (bad slug, ragged table, no pages …).
    #[error("invalid report: {0}")]
    Invalid(String),
    /// A file or folder could not be created, written or read.
    #[error("{path}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// No headless browser was found.
    #[error(
        "no headless browser: run scripts/install_chromium.sh \
         (or set ZHIYE_CHROMIUM to a Chromium/Chrome executable)"
    )]
    NoBrowser,
    /// `ZHIYE_CHROMIUM` names something that is not an executable file.
    #[error("ZHIYE_CHROMIUM={0}: not an executable file")]
    BadBrowserPath(PathBuf),
    /// The browser exited with an error.
    #[error("{browser} on {page}: {message}")]
    Browser {
        /// The browser executable.
        browser: PathBuf,
        /// The page being checked.
        page: PathBuf,
        /// How it exited, with the tail of its stderr.
        message: String,
    },
    /// The browser could not be started or waited for.
    #[error("{browser} on {page}: {what}")]
    BrowserIo {
        /// The browser executable.
        browser: PathBuf,
        /// The page being checked.
        page: PathBuf,
        /// What failed: `cannot start` …
        what: &'static str,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The browser did not finish in time and was killed.
    #[error("{browser} on {page}: no result after {seconds} s, killed")]
    Timeout {
        /// The browser executable.
        browser: PathBuf,
        /// The page being checked.
        page: PathBuf,
        /// The time limit.
        seconds: u64,
    },
    /// The rendered DOM carries no chart status: the page's check script did
    /// not run (JavaScript error, or not a page of this crate).
    #[error("{page}: the rendered page has no data-charts-rendered status; its check script did not run")]
    NoChartStatus {
        /// The page.
        page: PathBuf,
    },
    /// The screenshot is missing or too small to show a rendered page.
    #[error("{path}: screenshot {}, want more than {min_bytes} bytes", match .bytes { Some(b) => format!("has {b} bytes"), None => "is missing".to_owned() })]
    Screenshot {
        /// The screenshot file.
        path: PathBuf,
        /// Its size, if it exists.
        bytes: Option<u64>,
        /// The smallest acceptable size.
        min_bytes: u64,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::Io`] for `path`.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}
