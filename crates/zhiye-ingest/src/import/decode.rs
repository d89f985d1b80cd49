//! Text encodings of CSV files: detection, and a streaming decoder that fails
//! on invalid bytes instead of replacing them, so a mis-detected file is an
//! error naming the byte, never silently garbled text.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::Path;

use encoding_rs::{Decoder, DecoderResult, Encoding, GB18030, UTF_16BE, UTF_16LE};

use super::ImportError;
use super::mapping::TextEncoding;

/// Bytes looked at to choose between UTF-8 and GB18030. Chinese text in
/// GB18030 is almost never valid UTF-8 for long, so a MiB decides.
pub(crate) const SNIFF_BYTES: usize = 1 << 20;

/// Buffer size of the decoder, in and out.
const CHUNK: usize = 64 * 1024;

/// What a text file was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Detected {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Detected {
    /// Name for summaries and errors.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Detected::Utf8 => "UTF-8",
            Detected::Utf8Bom => "UTF-8 with BOM",
            Detected::Utf16Le => "UTF-16LE",
            Detected::Utf16Be => "UTF-16BE",
            Detected::Gb18030 => "GB18030",
        }
    }

    fn encoding(self) -> Option<&'static Encoding> {
        match self {
            Detected::Utf8 | Detected::Utf8Bom => None,
            Detected::Utf16Le => Some(UTF_16LE),
            Detected::Utf16Be => Some(UTF_16BE),
            Detected::Gb18030 => Some(GB18030),
        }
    }
}

/// Chooses the encoding from the first bytes: a byte-order mark always wins;
/// otherwise the declared encoding, or for `Auto` UTF-8 when `head` is valid
/// UTF-8 (a sequence cut by the end of `head` is fine unless the file ends
/// there) and GB18030 when it is not. Returns the BOM length too.
pub(crate) fn detect(head: &[u8], whole_file: bool, declared: TextEncoding) -> (Detected, usize) {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return (Detected::Utf8Bom, 3);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return (Detected::Utf16Le, 2);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return (Detected::Utf16Be, 2);
    }
    let detected = match declared {
        TextEncoding::Utf8 => Detected::Utf8,
        TextEncoding::Gb18030 => Detected::Gb18030,
        TextEncoding::Auto => match std::str::from_utf8(head) {
            Ok(_) => Detected::Utf8,
            Err(e) if e.error_len().is_none() && !whole_file => Detected::Utf8,
            Err(_) => Detected::Gb18030,
        },
    };
    (detected, 0)
}

/// Opens `path` as a UTF-8 byte stream (BOM removed) and says how it was read.
pub(crate) fn open_text(path: &Path, declared: TextEncoding) -> Result<(Box<dyn Read>, Detected), ImportError> {
    let mut file = File::open(path).map_err(ImportError::io(path))?;
    let mut head = Vec::with_capacity(SNIFF_BYTES.min(1 << 16));
    (&mut file).take(SNIFF_BYTES as u64).read_to_end(&mut head).map_err(ImportError::io(path))?;
    let whole_file = head.len() < SNIFF_BYTES;
    let (detected, bom) = detect(&head, whole_file, declared);
    let mut head = Cursor::new(head);
    head.set_position(bom as u64);
    let raw = head.chain(file);
    Ok(match detected.encoding() {
        None => (Box::new(raw), detected),
        Some(enc) => (Box::new(DecodeReader::new(raw, enc, bom as u64)), detected),
    })
}

/// The error a [`DecodeReader`] reports for invalid bytes, carried inside an
/// `io::Error` so that the CSV reader passes it through.
#[derive(Debug)]
pub(crate) struct Malformed {
    pub(crate) encoding: &'static str,
    pub(crate) offset: u64,
}

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid {} at byte {}", self.encoding, self.offset)
    }
}

impl std::error::Error for Malformed {}

/// Decodes a byte stream to UTF-8 with `encoding_rs`, failing on the first
/// invalid sequence.
struct DecodeReader<R> {
    inner: R,
    decoder: Decoder,
    name: &'static str,
    input: Box<[u8]>,
    in_start: usize,
    in_end: usize,
    eof: bool,
    output: Box<[u8]>,
    out_start: usize,
    out_end: usize,
    finished: bool,
    /// Bytes of the file the decoder has consumed, for error offsets.
    consumed: u64,
    /// Offset of an invalid sequence, reported once the text before it is read.
    malformed: Option<u64>,
}

impl<R: Read> DecodeReader<R> {
    fn new(inner: R, encoding: &'static Encoding, offset: u64) -> Self {
        DecodeReader {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            name: encoding.name(),
            input: vec![0; CHUNK].into_boxed_slice(),
            in_start: 0,
            in_end: 0,
            eof: false,
            output: vec![0; CHUNK].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
            finished: false,
            consumed: offset,
            malformed: None,
        }
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if let Some(offset) = self.malformed {
                return Err(io::Error::new(io::ErrorKind::InvalidData, Malformed { encoding: self.name, offset }));
            }
            if self.finished || buf.is_empty() {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                (self.in_start, self.in_end, self.eof) = (0, n, n == 0);
            }
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            self.in_start += read;
            self.consumed += read as u64;
            (self.out_start, self.out_end) = (0, written);
            match result {
                DecoderResult::InputEmpty => self.finished = self.eof,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, pending) => {
                    self.malformed = Some(self.consumed.saturating_sub(u64::from(bad) + u64::from(pending)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], declared: TextEncoding) -> (Detected, io::Result<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, bytes).unwrap();
        let (mut r, d) = open_text(&path, declared).unwrap();
        let mut s = String::new();
        let res = r.read_to_string(&mut s).map(|_| s);
        (d, res)
    }

    #[test]
    fn detects_and_decodes() {
        let text = "职位,薪资\n大数据开发工程师,1-1.5万/月\n";
        let (gbk, _, bad) = GB18030.encode(text);
        assert!(!bad);
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let bom: Vec<u8> = [0xEF, 0xBB, 0xBF].iter().chain(text.as_bytes()).copied().collect();
        let cases: [(&[u8], TextEncoding, Detected); 5] = [
            (&gbk, TextEncoding::Auto, Detected::Gb18030),
            (text.as_bytes(), TextEncoding::Auto, Detected::Utf8),
            (&bom, TextEncoding::Gb18030, Detected::Utf8Bom),
            (&utf16, TextEncoding::Auto, Detected::Utf16Le),
            (&gbk, TextEncoding::Gb18030, Detected::Gb18030),
        ];
        for (bytes, declared, want) in cases {
            let (d, res) = decode(bytes, declared);
            assert_eq!(d, want);
            assert_eq!(res.unwrap(), text, "{want:?}");
        }
    }

    #[test]
    fn invalid_bytes_fail_with_their_offset() {
        // 0xFF is never valid in GB18030.
        let (d, res) = decode(b"\xB4\xF3\xCA\xFD\xFF\xFF,a\n", TextEncoding::Auto);
        assert_eq!(d, Detected::Gb18030);
        let err = res.unwrap_err();
        let m = err.get_ref().and_then(|e| e.downcast_ref::<Malformed>()).unwrap();
        assert_eq!((m.encoding, m.offset), ("gb18030", 4));
    }

    #[test]
    fn a_cut_sequence_at_the_sniff_limit_is_still_utf8() {
        let s = "数".as_bytes();
        assert_eq!(detect(&s[..2], false, TextEncoding::Auto).0, Detected::Utf8);
        assert_eq!(detect(&s[..2], true, TextEncoding::Auto).0, Detected::Gb18030);
    }
}
