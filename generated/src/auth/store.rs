//! Where a [`Session`](super::Session) keeps the signed-in state between calls and between runs:
//! in memory, in a file only the owner can read (replaced atomically), or in the app's own
//! storage through [`TokenStore`].

use std::fmt;
use std::future::Future;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::device::RememberedDevice;
use super::secret::Secret;

/// The signed-in state a store keeps: the tokens, when the access and ID tokens expire, the
/// user's internal username (for SECRET_HASH on refresh) and the remembered device (for
/// DEVICE_KEY). `Debug` shows no token and no device password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSession {
    /// The access token.
    pub access_token: Secret,
    /// The ID token, if the sign-in issued one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret>,
    /// The refresh token (the newest one when the app client rotates them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// When the access and ID tokens expire, in seconds since the Unix epoch, by the clock of
    /// the session that received them.
    pub expires_at: u64,
    /// The user's internal username (the access token's `username` claim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The device remembered for this user, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<RememberedDevice>,
}

/// Why a store could not load, save or clear. The message names the store and what failed,
/// never a token.
#[derive(Debug)]
pub struct TokenStoreError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl TokenStoreError {
    /// An error with a message (which must not contain a token).
    pub fn new(message: impl Into<String>) -> Self {
        TokenStoreError {
            message: message.into(),
            source: None,
        }
    }

    /// An error with a message and its cause.
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        TokenStoreError {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

impl fmt::Display for TokenStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TokenStoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// What the methods of [`TokenStore`] return.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, TokenStoreError>> + Send + 'a>>;

/// Keeps one user's signed-in state. Implement it to keep sessions in your own storage (a
/// keychain, a database); `save` must not return before the state is durable, because the
/// session hands out tokens only after it has returned.
pub trait TokenStore: Send + Sync {
    /// The stored state, or `None` when nobody is signed in.
    fn load(&self) -> StoreFuture<'_, Option<StoredSession>>;
    /// Replaces the stored state.
    fn save<'a>(&'a self, session: &'a StoredSession) -> StoreFuture<'a, ()>;
    /// Forgets the stored state (sign-out, or a refresh token that no longer works).
    fn clear(&self) -> StoreFuture<'_, ()>;
}

/// A store in memory: the state lives as long as the process.
#[derive(Default)]
pub struct MemoryStore {
    state: Mutex<Option<StoredSession>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<StoredSession>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("signed_in", &self.slot().is_some())
            .finish()
    }
}

impl TokenStore for MemoryStore {
    fn load(&self) -> StoreFuture<'_, Option<StoredSession>> {
        let state = self.slot().clone();
        Box::pin(async move { Ok(state) })
    }

    fn save<'a>(&'a self, session: &'a StoredSession) -> StoreFuture<'a, ()> {
        *self.slot() = Some(session.clone());
        Box::pin(async { Ok(()) })
    }

    fn clear(&self) -> StoreFuture<'_, ()> {
        *self.slot() = None;
        Box::pin(async { Ok(()) })
    }
}

/// A store in a JSON file that only its owner may read or write (mode 0600 on Unix).
///
/// Every save writes a new file beside the old one, flushes it to disk and renames it over the
/// old one, so a crash leaves either the old state or the new one, never a torn file. A file
/// that others can read is refused on load, as ssh refuses such keys.
#[derive(Clone, Debug)]
pub struct FileStore {
    path: PathBuf,
}

impl FileStore {
    /// A store at `path`; the directory must exist. Nothing is read or written until used.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileStore { path: path.into() }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn read(&self) -> Result<Option<StoredSession>, TokenStoreError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(TokenStoreError::with_source(
                    format!("cannot read the session file {}", self.path.display()),
                    e,
                ))
            }
        };
        self.check_private()?;
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            TokenStoreError::new(format!(
                // serde's message can quote the file's values (tokens): only the position
                "the session file {} is not a stored session ({:?} error at line {}, column {})",
                self.path.display(),
                e.classify(),
                e.line(),
                e.column()
            ))
        })
    }

    #[cfg(unix)]
    fn check_private(&self) -> Result<(), TokenStoreError> {
        use std::os::unix::fs::PermissionsExt as _;
        let meta = std::fs::metadata(&self.path).map_err(|e| {
            TokenStoreError::with_source(format!("cannot stat {}", self.path.display()), e)
        })?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(TokenStoreError::new(format!(
                "the session file {} can be read by other users (mode {mode:03o}); it holds \
                 tokens: make it private (chmod 600) or sign in again",
                self.path.display()
            )));
        }
        Ok(())
    }

    #[cfg(not(unix))]
    fn check_private(&self) -> Result<(), TokenStoreError> {
        Ok(())
    }

    fn write(&self, session: &StoredSession) -> Result<(), TokenStoreError> {
        let failed = |what: &str, e: std::io::Error| {
            TokenStoreError::with_source(format!("{what} {}", self.path.display()), e)
        };
        let json = serde_json::to_vec_pretty(session)
            .map_err(|e| TokenStoreError::with_source("cannot encode the session", e))?;
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "session".to_owned());
        let temp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), unique()));
        let result = (|| {
            let mut file =
                open_private(&temp).map_err(|e| failed("cannot create a file beside", e))?;
            file.write_all(&json)
                .and_then(|()| file.sync_all())
                .map_err(|e| failed("cannot write a file beside", e))?;
            std::fs::rename(&temp, &self.path).map_err(|e| failed("cannot replace", e))?;
            sync_dir(&dir);
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        result
    }

    fn remove(&self) -> Result<(), TokenStoreError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => {
                if let Some(dir) = self.path.parent() {
                    sync_dir(dir);
                }
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(TokenStoreError::with_source(
                format!("cannot remove the session file {}", self.path.display()),
                e,
            )),
        }
    }
}

/// A number that differs between the saves of one process (the temporary file's name).
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Makes a rename in `dir` durable (a no-op where directories cannot be opened).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

// The file operations are small (a few KB) and run inline: a session saves once per refresh.
impl TokenStore for FileStore {
    fn load(&self) -> StoreFuture<'_, Option<StoredSession>> {
        let result = self.read();
        Box::pin(async move { result })
    }

    fn save<'a>(&'a self, session: &'a StoredSession) -> StoreFuture<'a, ()> {
        let result = self.write(session);
        Box::pin(async move { result })
    }

    fn clear(&self) -> StoreFuture<'_, ()> {
        let result = self.remove();
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StoredSession {
        StoredSession {
            access_token: Secret::new("access-secret-value"),
            id_token: Some(Secret::new("id-secret-value")),
            refresh_token: Some(Secret::new("refresh-secret-value")),
            expires_at: 4_102_444_800,
            username: Some("u-1".into()),
            device: None,
        }
    }

    fn block_on<T>(f: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn debug_shows_no_token() {
        let dbg = format!("{:?}", sample());
        assert!(!dbg.contains("secret-value"), "{dbg}");
    }

    #[test]
    fn file_store_round_trip_is_private_and_atomic() {
        let dir = std::env::temp_dir().join(format!("cognito-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = FileStore::new(dir.join("session.json"));
        assert_eq!(block_on(store.load()).unwrap(), None);
        block_on(store.save(&sample())).unwrap();
        assert_eq!(block_on(store.load()).unwrap(), Some(sample()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(store.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(store.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
            let err = block_on(store.load()).unwrap_err().to_string();
            assert!(err.contains("chmod 600"), "{err}");
            std::fs::set_permissions(store.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        // no temporary file is left behind
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["session.json".to_owned()]);
        std::fs::write(store.path(), b"{not json").unwrap();
        let err = block_on(store.load()).unwrap_err().to_string();
        assert!(err.contains("not a stored session"), "{err}");
        block_on(store.clear()).unwrap();
        assert_eq!(block_on(store.load()).unwrap(), None);
        block_on(store.clear()).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn memory_store() {
        let store = MemoryStore::new();
        block_on(store.save(&sample())).unwrap();
        assert!(format!("{store:?}").contains("true"));
        assert_eq!(block_on(store.load()).unwrap(), Some(sample()));
        block_on(store.clear()).unwrap();
        assert_eq!(block_on(store.load()).unwrap(), None);
    }
}
