//! The write-ahead log: an append-only file of framed lines, written by one flusher thread that
//! makes each write durable with `fdatasync` before anyone waits on it returns. Appends made
//! while a sync runs go out together with the next one (group commit), so many concurrent
//! requests share one sync.
//!
//! A line is `CRC32HEX SP JSON LF`. Reading stops with an error at a damaged line that is
//! followed by more data; a damaged or unterminated last line is a write torn by a crash (it
//! was never acknowledged) and is cut off.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

/// One framed line.
pub fn frame(json: &str) -> Vec<u8> {
    let mut line = Vec::with_capacity(json.len() + 10);
    line.extend_from_slice(format!("{:08x} ", crc32fast::hash(json.as_bytes())).as_bytes());
    line.extend_from_slice(json.as_bytes());
    line.push(b'\n');
    line
}

/// The framed lines of a file's contents, each with its end offset.
pub struct Lines<'a> {
    data: &'a [u8],
    pos: usize,
}

/// A line that is not what was written.
#[derive(Debug)]
pub struct Damaged {
    pub offset: usize,
    /// Whether the damage is at the very end (a torn write) rather than in the middle.
    pub at_end: bool,
}

impl<'a> Lines<'a> {
    pub fn new(data: &'a [u8], start: usize) -> Self {
        Lines { data, pos: start }
    }

    /// The next line's JSON, or `Ok(None)` at the end.
    pub fn next_line(&mut self) -> Result<Option<&'a str>, Damaged> {
        if self.pos >= self.data.len() {
            return Ok(None);
        }
        let rest = &self.data[self.pos..];
        let damaged = |at_end| Damaged {
            offset: self.pos,
            at_end,
        };
        let Some(end) = rest.iter().position(|b| *b == b'\n') else {
            return Err(damaged(true));
        };
        let line = &rest[..end];
        let last = self.pos + end + 1 >= self.data.len();
        let parsed = (|| {
            if line.len() < 10 || line[8] != b' ' {
                return None;
            }
            let crc = u32::from_str_radix(std::str::from_utf8(&line[..8]).ok()?, 16).ok()?;
            let json = &line[9..];
            (crc32fast::hash(json) == crc).then_some(())?;
            std::str::from_utf8(json).ok()
        })();
        match parsed {
            Some(json) => {
                self.pos += end + 1;
                Ok(Some(json))
            }
            None => Err(damaged(last)),
        }
    }
}

/// Makes a rename or a new file in `dir` durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Creates (or replaces) `path` with `contents`, durably: written to a temporary name, synced,
/// renamed, and the directory synced.
pub fn write_durably(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = path.with_extension("tmp");
    {
        let mut f =
            owner_only(OpenOptions::new().write(true).create(true).truncate(true)).open(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    sync_dir(dir)
}

/// Files of the state directory hold verifiers and the signing key: owner-only.
pub fn owner_only(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

struct Progress {
    pending: Vec<u8>,
    appended: u64,
    durable: u64,
    failed: Option<String>,
    stop: bool,
    /// Bytes in the current log file.
    size: u64,
}

struct Inner {
    progress: Mutex<Progress>,
    more: Condvar,
    synced: Condvar,
    file: Mutex<(File, PathBuf)>,
}

/// The open log, with its flusher thread.
pub struct Log {
    inner: Arc<Inner>,
    flusher: Option<JoinHandle<()>>,
}

/// A position in the log: `Log::wait` returns once everything up to it is durable.
#[derive(Clone, Copy, Debug)]
pub struct Ticket(u64);

impl Log {
    /// Appends to an existing file (positioned at its end, `size` bytes long).
    pub fn open(file: File, path: PathBuf, size: u64) -> Log {
        let inner = Arc::new(Inner {
            progress: Mutex::new(Progress {
                pending: Vec::new(),
                appended: 0,
                durable: 0,
                failed: None,
                stop: false,
                size,
            }),
            more: Condvar::new(),
            synced: Condvar::new(),
            file: Mutex::new((file, path)),
        });
        let worker = inner.clone();
        let flusher = std::thread::Builder::new()
            .name("state-log".into())
            .spawn(move || flush_loop(&worker))
            .ok();
        Log { inner, flusher }
    }

    fn progress(&self) -> MutexGuard<'_, Progress> {
        lock(&self.inner.progress)
    }

    /// Queues framed lines; they are durable once `wait` on the ticket returns.
    pub fn append(&self, lines: &[u8]) -> Result<Ticket, String> {
        let mut p = self.progress();
        if let Some(e) = &p.failed {
            return Err(e.clone());
        }
        if self.flusher.is_none() {
            return Err("the state log's writer thread could not be started".into());
        }
        if !lines.is_empty() {
            p.pending.extend_from_slice(lines);
            p.appended += 1;
            self.inner.more.notify_one();
        }
        Ok(Ticket(p.appended))
    }

    /// Where the log stands now (what a read-only call must wait for).
    pub fn position(&self) -> Ticket {
        Ticket(self.progress().appended)
    }

    /// Blocks until everything up to `ticket` is on disk.
    pub fn wait(&self, ticket: Ticket) -> Result<(), String> {
        let mut p = self.progress();
        loop {
            if p.durable >= ticket.0 {
                return Ok(());
            }
            if let Some(e) = &p.failed {
                return Err(e.clone());
            }
            p = self.inner.synced.wait(p).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Bytes in the current file (for deciding when to compact).
    pub fn size(&self) -> u64 {
        self.progress().size
    }

    /// Waits for everything queued, then continues in `file` (a new, synced log file).
    pub fn switch_to(&self, file: File, path: PathBuf, size: u64) -> Result<PathBuf, String> {
        let ticket = self.position();
        self.wait(ticket)?;
        let mut current = lock(&self.inner.file);
        let old = std::mem::replace(&mut *current, (file, path));
        self.progress().size = size;
        Ok(old.1)
    }
}

impl Drop for Log {
    fn drop(&mut self) {
        self.progress().stop = true;
        self.inner.more.notify_all();
        if let Some(t) = self.flusher.take() {
            let _ = t.join();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn flush_loop(inner: &Inner) {
    loop {
        let (batch, seq) = {
            let mut p = lock(&inner.progress);
            while p.pending.is_empty() && !p.stop {
                p = inner.more.wait(p).unwrap_or_else(|e| e.into_inner());
            }
            if p.pending.is_empty() {
                return;
            }
            (std::mem::take(&mut p.pending), p.appended)
        };
        let written = {
            let mut file = lock(&inner.file);
            file.0.write_all(&batch).and_then(|()| file.0.sync_data())
        };
        let mut p = lock(&inner.progress);
        match written {
            Ok(()) => {
                p.durable = seq;
                p.size += batch.len() as u64;
            }
            // Nothing after a failed write is acknowledged: the log would have a hole.
            Err(e) => p.failed = Some(format!("the state log could not be written: {e}")),
        }
        inner.synced.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_read_back_and_torn_tails_are_told_from_damage() {
        let mut data = frame("{\"a\":1}");
        data.extend(frame("[2]"));
        let mut lines = Lines::new(&data, 0);
        assert_eq!(lines.next_line().unwrap(), Some("{\"a\":1}"));
        assert_eq!(lines.next_line().unwrap(), Some("[2]"));
        assert_eq!(lines.next_line().unwrap(), None);

        let mut torn = data.clone();
        torn.extend_from_slice(b"0000");
        let mut lines = Lines::new(&torn, 0);
        lines.next_line().unwrap();
        lines.next_line().unwrap();
        let e = lines.next_line().unwrap_err();
        assert!(e.at_end);
        assert_eq!(e.offset, data.len());

        let mut middle = data.clone();
        middle[12] ^= 1;
        let e = Lines::new(&middle, 0).next_line().unwrap_err();
        assert!(!e.at_end);
        assert_eq!(e.offset, 0);
    }
}
