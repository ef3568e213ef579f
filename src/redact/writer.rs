//! Redacting a stream we do not write ourselves (cucumber's step-by-step
//! output): one line at a time.

use std::io::Write;

use super::redact;

/// An `io::Write` that passes text on one whole line at a time, each line
/// redacted on its own. A partial line waits for its end, even across a
/// `flush` (a secret split between two writes must be seen whole); it is
/// written when the writer is dropped.
pub struct RedactingWriter<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> RedactingWriter<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            pending: Vec::new(),
        }
    }

    /// Writes the first `upto` pending bytes, line by line.
    fn emit(&mut self, upto: usize) -> std::io::Result<()> {
        let chunk: Vec<u8> = self.pending.drain(..upto).collect();
        for line in chunk.split_inclusive(|b| *b == b'\n') {
            let text = String::from_utf8_lossy(line);
            let (body, end) = match text.strip_suffix('\n') {
                Some(body) => (body, "\n"),
                None => (text.as_ref(), ""),
            };
            self.inner.write_all(redact(body).as_bytes())?;
            self.inner.write_all(end.as_bytes())?;
        }
        Ok(())
    }
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(last_newline) = self.pending.iter().rposition(|b| *b == b'\n') {
            self.emit(last_newline + 1)?;
        }
        Ok(buf.len())
    }

    /// Passes on the whole lines written so far; a partial line waits.
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for RedactingWriter<W> {
    fn drop(&mut self) {
        let len = self.pending.len();
        if len > 0 {
            let _ = self.emit(len);
        }
        let _ = self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::register_secret;

    #[test]
    fn a_secret_split_between_writes_is_redacted_whole() {
        register_secret("writer-split-secret");
        let mut buf = Vec::new();
        {
            let mut w = RedactingWriter::new(&mut buf);
            w.write_all(b"one writer-sp").unwrap();
            w.write_all(b"lit-secret two\nthree").unwrap();
        }
        assert_eq!(String::from_utf8(buf).unwrap(), "one [REDACTED] two\nthree");
    }

    #[test]
    fn flush_waits_for_the_end_of_the_line_and_drop_writes_it() {
        register_secret("writer-flush-secret");
        let mut buf = Vec::new();
        let mut w = RedactingWriter::new(&mut buf);
        w.write_all(b"done\nhalf writer-fl").unwrap();
        w.flush().unwrap();
        w.write_all(b"ush-secret").unwrap();
        w.flush().unwrap();
        drop(w);
        assert_eq!(String::from_utf8(buf).unwrap(), "done\nhalf [REDACTED]");
    }

    #[test]
    fn each_line_is_redacted_on_its_own() {
        // A quoted value never runs on into the next line.
        let mut buf = Vec::new();
        {
            let mut w = RedactingWriter::new(&mut buf);
            w.write_all(b"\"code\": \"open\nstill here\"\n").unwrap();
        }
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "\"code\": \"[REDACTED]\nstill here\"\n"
        );
    }

    #[test]
    fn a_whole_line_is_passed_on_at_once_and_a_partial_one_waits() {
        let mut buf = Vec::new();
        let mut w = RedactingWriter::new(&mut buf);
        w.write_all(b"first\nsec").unwrap();
        assert_eq!(w.inner.as_slice(), b"first\n");
        w.write_all(b"ond\n").unwrap();
        assert_eq!(w.inner.as_slice(), b"first\nsecond\n");
    }

    /// An inner writer that counts the flushes it is asked for.
    struct Flushes<'a>(&'a mut usize);

    impl Write for Flushes<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            *self.0 += 1;
            Ok(())
        }
    }

    #[test]
    fn flush_and_drop_flush_the_inner_writer() {
        let mut flushes = 0;
        {
            let mut w = RedactingWriter::new(Flushes(&mut flushes));
            w.flush().unwrap();
            assert_eq!(*w.inner.0, 1);
        }
        assert_eq!(flushes, 2);
    }
}
