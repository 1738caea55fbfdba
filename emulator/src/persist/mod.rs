//! `--state DIR`: the store kept across restarts, in a snapshot plus a write-ahead log.
//!
//! Why a log of our own rather than an embedded database: the emulator serves everything from
//! memory anyway, so all it needs on disk is "what changed", durable before the answer goes
//! out. A log written by one thread lets every request that arrives during an `fdatasync`
//! share the next one (group commit), which keeps sign-ins with `--state` close to in-memory
//! speed; an embedded store (SQLite, redb) would add a dependency (SQLite a C build) and its
//! own per-transaction sync, which we would have to batch around in the same way.
//!
//! What is kept: the signing key, pools, app clients, users (with devices), groups, what a pool
//! holds besides users, refresh and access tokens, user pool domains, resource servers, OAuth
//! grants, and the guard's lockouts and code attempts (see `records.rs`).
//!
//! Loading decodes a file's lines on every available core (users, nearly all of a large state,
//! are deserialized there) and applies the records in order on one thread.
//!
//! Layout of DIR (owner-only): `snapshot` (every record, written atomically by rename), `log.G`
//! (records written since that snapshot; the snapshot names its G), `lock` (held while an
//! emulator uses the directory). Records are described in `records.rs`, the format version and
//! migrations in `format.rs`, the log file and its group commit in `log.rs`.
//!
//! Every operation ends with `State::stage` (under the store lock: the records of what it
//! changed are queued) and `State::wait` (after the lock is released: until they are synced).
//! A call that changed nothing still waits for what was queued before it, so nothing it read
//! can be lost. When the log grows past a limit, the state is compacted: a new log file is
//! started, and a snapshot of everything is written beside it before the old log is removed.

mod format;
mod log;
mod records;

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub use format::FORMAT;
pub use log::Ticket;

use crate::store::Store;
use crate::tokens::Keys;
use log::{frame, owner_only, sync_dir, write_durably, Lines, Log};
use records::{Decoded, Incoming, Loaded, PoolDigests};

/// Compact when the log passes this many bytes (unless told otherwise).
pub const COMPACT_ABOVE_BYTES: u64 = 64 * 1024 * 1024;
/// Records per snapshot line.
const RECORDS_PER_LINE: usize = 512;

/// An open state directory.
pub struct State {
    dir: PathBuf,
    log: Log,
    keys: Arc<Keys>,
    generation: Mutex<u64>,
    digests: Mutex<PoolDigests>,
    compacting: Arc<AtomicBool>,
    compact_above: u64,
    /// The background snapshot writer, joined before the lock is released.
    snapshot_writer: Mutex<Option<std::thread::JoinHandle<()>>>,
    _lock: File,
}

impl Drop for State {
    fn drop(&mut self) {
        // The directory stays locked until the snapshot in progress is in place, so a process
        // that opens it next never races the writer.
        if let Some(writer) = lock(&self.snapshot_writer).take() {
            let _ = writer.join();
        }
    }
}

/// What opening found.
pub struct Opened {
    pub state: State,
    pub store: Store,
    pub keys: Arc<Keys>,
    pub report: LoadReport,
}

/// How the load went, for the startup log line.
#[derive(Debug, Default, Clone)]
pub struct LoadReport {
    pub created: bool,
    pub pools: usize,
    pub users: usize,
    pub records: usize,
    pub migrated_from: Option<u32>,
    pub torn_tail_bytes: u64,
    pub millis: u128,
}

fn snapshot_path(dir: &Path) -> PathBuf {
    dir.join("snapshot")
}

fn log_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("log.{generation}"))
}

fn io_err<'p>(path: &'p Path, what: &str) -> impl Fn(std::io::Error) -> String + 'p {
    let what = what.to_owned();
    move |e| format!("{}: cannot {what}: {e}", path.display())
}

impl State {
    /// Opens (or creates) `dir`, loads everything in it, and returns the store to serve from.
    pub fn open(dir: &Path, now: i64, compact_above: u64) -> Result<Opened, String> {
        let started = Instant::now();
        std::fs::create_dir_all(dir).map_err(io_err(dir, "create the state directory"))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(io_err(dir, "make the state directory owner-only"))?;
        }
        let lock_path = dir.join("lock");
        let lock_file = owner_only(OpenOptions::new().read(true).write(true).create(true))
            .truncate(false)
            .open(&lock_path)
            .map_err(io_err(&lock_path, "open"))?;
        match fs4::fs_std::FileExt::try_lock_exclusive(&lock_file) {
            Ok(true) => {}
            Ok(false) => {
                return Err(format!(
                    "{} is in use by another cognito-emulator (its lock file is held)",
                    dir.display()
                ))
            }
            Err(e) => return Err(format!("{}: cannot lock: {e}", lock_path.display())),
        }

        let mut store = Store::default();
        let mut loaded = Loaded::default();
        let mut report = LoadReport::default();
        let snapshot = snapshot_path(dir);
        let (mut generation, snapshot_format) = if snapshot.exists() {
            read_snapshot(&snapshot, &mut store, &mut loaded, &mut report)?
        } else {
            if std::fs::read_dir(dir)
                .map_err(io_err(dir, "list"))?
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("log."))
            {
                return Err(format!(
                    "{} has log files but no snapshot: it is damaged (or not a state directory)",
                    dir.display()
                ));
            }
            let keys = Keys::generate().map_err(|e| format!("cannot make a signing key: {e}"))?;
            let lines = vec![records::key_record(&keys)?.finish().unwrap_or_default()];
            write_snapshot(&snapshot, 1, &lines)?;
            new_log_file(dir, 1)?;
            loaded.keys = Some(keys);
            report.created = true;
            (1, FORMAT)
        };
        if snapshot_format < FORMAT {
            report.migrated_from = Some(snapshot_format);
        }
        loop {
            let path = log_path(dir, generation);
            let next_exists = log_path(dir, generation + 1).exists();
            if !path.exists() {
                new_log_file(dir, generation)?;
            }
            let (_size, format) =
                replay_log(&path, !next_exists, &mut store, &mut loaded, &mut report)?;
            if format < FORMAT {
                report.migrated_from.get_or_insert(format);
            }
            if !next_exists {
                break;
            }
            generation += 1;
        }
        // Logs older than the snapshot's are left over from a compaction that stopped early.
        remove_logs_before(dir, header_generation(&snapshot)?);

        let keys = Arc::new(
            loaded
                .keys
                .take()
                .ok_or_else(|| format!("{} holds no signing key", snapshot.display()))?,
        );
        store.sweep(now);
        store.reindex();
        report.pools = store.pools.len();
        report.users = store.pools.values().map(|p| p.users.len()).sum();

        let path = log_path(dir, generation);
        let mut file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io_err(&path, "open for appending"))?;
        let size = file.seek(SeekFrom::End(0)).map_err(io_err(&path, "seek"))?;
        let state = State {
            dir: dir.to_owned(),
            log: Log::open(file, path, size),
            keys: keys.clone(),
            generation: Mutex::new(generation),
            digests: Mutex::new(PoolDigests::new()),
            compacting: Arc::new(AtomicBool::new(false)),
            compact_above,
            snapshot_writer: Mutex::new(None),
            _lock: lock_file,
        };
        // A migrated state is rewritten in the current format before anything is served (this
        // also fills the pool digests). A long log is not folded here: replaying it costs about
        // what reading the snapshot would, and the first write past the limit compacts it.
        if report.migrated_from.is_some() {
            state.compact(&store, false)?;
        } else {
            records::fill_pool_digests(&store, &mut lock(&state.digests))?;
        }
        // What was loaded is not a change.
        let _ = records::changed(&mut store, &mut PoolDigests::new());
        report.millis = started.elapsed().as_millis();
        Ok(Opened {
            state,
            store,
            keys,
            report,
        })
    }

    /// Queues the records of everything changed in `store` since the last call. Call it with
    /// the store lock held (so the log's order is the order of the changes), then `wait`
    /// without it.
    pub fn stage(&self, store: &mut Store) -> Result<Ticket, String> {
        let batch = {
            let mut digests = lock(&self.digests);
            records::changed(store, &mut digests)?
        };
        let ticket = match batch.finish() {
            Some(json) => self.log.append(&frame(&json))?,
            None => self.log.position(),
        };
        if self.log.size() > self.compact_above && !self.compacting.load(Ordering::Acquire) {
            self.compact(store, true)?;
        }
        Ok(ticket)
    }

    /// Blocks until everything up to `ticket` is on disk.
    pub fn wait(&self, ticket: Ticket) -> Result<(), String> {
        self.log.wait(ticket)
    }

    /// Starts a new log and writes a snapshot of `store` (which must not change meanwhile:
    /// the caller holds the store lock) that continues with it; the old log is removed once
    /// the snapshot is in place. `background` writes the snapshot on its own thread.
    fn compact(&self, store: &Store, background: bool) -> Result<(), String> {
        if self.compacting.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        let lines = {
            let mut digests = lock(&self.digests);
            records::everything(store, &self.keys, &mut digests, RECORDS_PER_LINE)
        };
        let lines = match lines {
            Ok(l) => l,
            Err(e) => {
                self.compacting.store(false, Ordering::Release);
                return Err(e);
            }
        };
        let next = *lock(&self.generation) + 1;
        let switched = new_log_file(&self.dir, next).and_then(|(file, path, size)| {
            self.log.switch_to(file, path, size)?;
            *lock(&self.generation) = next;
            Ok(())
        });
        if let Err(e) = switched {
            self.compacting.store(false, Ordering::Release);
            return Err(e);
        }
        let dir = self.dir.clone();
        let flag = self.compacting.clone();
        let finish = move || {
            let written = write_snapshot(&snapshot_path(&dir), next, &lines);
            match written {
                Ok(()) => remove_logs_before(&dir, next),
                // The old snapshot and both logs still hold everything.
                Err(e) => eprintln!("cognito-emulator: compacting the state failed: {e}"),
            }
            flag.store(false, Ordering::Release);
        };
        if background {
            let writer = std::thread::Builder::new()
                .name("state-snapshot".into())
                .spawn(finish)
                .map_err(|e| format!("cannot start the snapshot writer: {e}"))?;
            // The previous writer has cleared `compacting`, so it is done or about to be.
            if let Some(previous) = lock(&self.snapshot_writer).replace(writer) {
                let _ = previous.join();
            }
        } else {
            finish();
        }
        Ok(())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn new_log_file(dir: &Path, generation: u64) -> Result<(File, PathBuf, u64), String> {
    let path = log_path(dir, generation);
    let header =
        serde_json::to_string(&format::LogHeader { format: FORMAT }).map_err(|e| e.to_string())?;
    let line = frame(&header);
    let mut file = owner_only(OpenOptions::new().append(true).create_new(true))
        .open(&path)
        .map_err(io_err(&path, "create"))?;
    file.write_all(&line)
        .and_then(|()| file.sync_all())
        .map_err(io_err(&path, "write"))?;
    sync_dir(dir).map_err(io_err(dir, "sync"))?;
    Ok((file, path, line.len() as u64))
}

fn write_snapshot(path: &Path, log: u64, lines: &[String]) -> Result<(), String> {
    let header = serde_json::to_string(&format::SnapshotHeader {
        format: FORMAT,
        log,
    })
    .map_err(|e| e.to_string())?;
    let mut data = frame(&header);
    for l in lines {
        data.extend(frame(l));
    }
    write_durably(path, &data).map_err(io_err(path, "write the snapshot"))
}

fn remove_logs_before(dir: &Path, generation: u64) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(g) = name
            .strip_prefix("log.")
            .and_then(|g| g.parse::<u64>().ok())
        {
            if g < generation {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let _ = sync_dir(dir);
}

fn header_generation(snapshot: &Path) -> Result<u64, String> {
    let data = std::fs::read(snapshot).map_err(io_err(snapshot, "read"))?;
    let mut lines = Lines::new(&data, 0);
    let header = lines
        .next_line()
        .ok()
        .flatten()
        .ok_or_else(|| format!("{}: no header", snapshot.display()))?;
    let h: format::SnapshotHeader =
        serde_json::from_str(header).map_err(|e| format!("{}: {e}", snapshot.display()))?;
    Ok(h.log)
}

fn damaged(path: &Path, offset: usize) -> String {
    format!(
        "{} is damaged at byte {offset} (a record that is not what was written, with more after it); refusing to load so nothing is silently lost",
        path.display()
    )
}

/// Decodes the framed lines (JSON arrays of records) of one file on the available cores, then
/// applies their records in order.
fn apply_lines(
    path: &Path,
    format: u32,
    lines: &[&str],
    store: &mut Store,
    loaded: &mut Loaded,
    report: &mut LoadReport,
) -> Result<(), String> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parts: Vec<Result<Vec<Decoded>, String>> = if threads < 2 || lines.len() < 2 * threads {
        vec![decode_lines(path, format, lines)]
    } else {
        let per_thread = lines.len().div_ceil(threads);
        std::thread::scope(|s| {
            let running: Vec<_> = lines
                .chunks(per_thread)
                .map(|part| s.spawn(move || decode_lines(path, format, part)))
                .collect();
            running
                .into_iter()
                .map(|t| {
                    t.join().unwrap_or_else(|_| {
                        Err(format!("{}: a loading thread failed", path.display()))
                    })
                })
                .collect()
        })
    };
    for part in parts {
        for record in part? {
            report.records += 1;
            records::apply(store, loaded, record)
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

fn decode_lines(path: &Path, format: u32, lines: &[&str]) -> Result<Vec<Decoded>, String> {
    let mut out = Vec::new();
    for json in lines {
        let batch: Vec<Incoming<'_>> =
            serde_json::from_str(json).map_err(|e| format!("{}: {e}", path.display()))?;
        for record in batch {
            out.push(
                records::decode(format, record).map_err(|e| format!("{}: {e}", path.display()))?,
            );
        }
    }
    Ok(out)
}

fn read_snapshot(
    path: &Path,
    store: &mut Store,
    loaded: &mut Loaded,
    report: &mut LoadReport,
) -> Result<(u64, u32), String> {
    let data = std::fs::read(path).map_err(io_err(path, "read"))?;
    let mut lines = Lines::new(&data, 0);
    // The snapshot is written whole and renamed into place: any damage is real damage.
    let header = match lines.next_line() {
        Ok(Some(h)) => h,
        Ok(None) | Err(_) => return Err(damaged(path, 0)),
    };
    let header: format::SnapshotHeader = serde_json::from_str(header)
        .map_err(|e| format!("{}: not a cognito-emulator snapshot: {e}", path.display()))?;
    format::check(header.format, path)?;
    let mut all = Vec::new();
    loop {
        match lines.next_line() {
            Ok(Some(json)) => all.push(json),
            Ok(None) => break,
            Err(d) => return Err(damaged(path, d.offset)),
        }
    }
    apply_lines(path, header.format, &all, store, loaded, report)?;
    Ok((header.log, header.format))
}

/// Replays one log file; a torn last line of the newest log is cut off. Returns the file's
/// size afterwards and its format.
fn replay_log(
    path: &Path,
    newest: bool,
    store: &mut Store,
    loaded: &mut Loaded,
    report: &mut LoadReport,
) -> Result<(u64, u32), String> {
    let data = std::fs::read(path).map_err(io_err(path, "read"))?;
    let mut lines = Lines::new(&data, 0);
    let header = match lines.next_line() {
        Ok(Some(h)) => h,
        // A log whose header never reached the disk holds nothing acknowledged.
        Ok(None) | Err(log::Damaged { at_end: true, .. }) if newest => {
            std::fs::remove_file(path).map_err(io_err(path, "remove"))?;
            let dir = path.parent().unwrap_or(Path::new("."));
            let generation = path
                .extension()
                .and_then(|g| g.to_str()?.parse().ok())
                .unwrap_or(1);
            let (_, _, size) = new_log_file(dir, generation)?;
            return Ok((size, FORMAT));
        }
        _ => return Err(damaged(path, 0)),
    };
    let header: format::LogHeader = serde_json::from_str(header)
        .map_err(|e| format!("{}: not a cognito-emulator log: {e}", path.display()))?;
    format::check(header.format, path)?;
    let mut all = Vec::new();
    let torn = loop {
        match lines.next_line() {
            Ok(Some(json)) => all.push(json),
            Ok(None) => break None,
            Err(d) if d.at_end && newest => break Some(d.offset),
            Err(d) => return Err(damaged(path, d.offset)),
        }
    };
    apply_lines(path, header.format, &all, store, loaded, report)?;
    match torn {
        None => Ok((data.len() as u64, header.format)),
        Some(offset) => {
            let keep = offset as u64;
            report.torn_tail_bytes = data.len() as u64 - keep;
            let f = OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(io_err(path, "open"))?;
            f.set_len(keep)
                .and_then(|()| f.sync_all())
                .map_err(io_err(path, "cut the torn last record"))?;
            Ok((keep, header.format))
        }
    }
}
