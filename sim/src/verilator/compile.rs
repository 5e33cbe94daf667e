//! Running g++ on many files: at most two at a time per build and per machine.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use skipgrid_toolrun::Tool;

use super::VerilatorOptions;
use crate::SimError;

/// One g++ -c.
pub(crate) struct Compile {
    pub(crate) src: PathBuf,
    pub(crate) obj: PathBuf,
    pub(crate) opt: String,
}

impl Compile {
    pub(crate) fn new(dir: &Path, name: &str, opt: &str) -> Compile {
        Compile {
            src: dir.join(format!("{name}.cpp")),
            obj: dir.join(format!("{name}.o")),
            opt: opt.to_string(),
        }
    }
}

/// At most this many g++ run at once on this machine (2 cores), whatever the number
/// of builds: threads queue on an in-process counter, processes on lock files.
const MAX_PARALLEL_COMPILES: usize = 2;
static RUNNING: Mutex<usize> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

/// The right to run one compile; released on drop.
struct CompileSlot {
    lock: Option<std::fs::File>,
}

impl CompileSlot {
    fn acquire() -> CompileSlot {
        let mut n = RUNNING.lock().unwrap_or_else(|p| p.into_inner());
        while *n >= MAX_PARALLEL_COMPILES {
            n = FREED.wait(n).unwrap_or_else(|p| p.into_inner());
        }
        *n += 1;
        drop(n);
        CompileSlot {
            lock: machine_slot(),
        }
    }
}

/// One of `MAX_PARALLEL_COMPILES` lock files shared by all processes; `None` (no
/// cross-process limit) if the lock files cannot be created.
fn machine_slot() -> Option<std::fs::File> {
    let dir = std::env::temp_dir();
    loop {
        for i in 0..MAX_PARALLEL_COMPILES {
            let path = dir.join(format!("skipgrid-compile-slot-{i}.lock"));
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .ok()?;
            match file.try_lock() {
                Ok(()) => return Some(file),
                Err(std::fs::TryLockError::WouldBlock) => continue,
                Err(std::fs::TryLockError::Error(_)) => return None,
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Drop for CompileSlot {
    fn drop(&mut self) {
        drop(self.lock.take()); // unlock the file before a waiting thread wakes
        *RUNNING.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
        FREED.notify_one();
    }
}

pub(crate) fn compile_all(
    jobs: &[Compile],
    flags: &[String],
    opts: &VerilatorOptions,
    stage: &str,
) -> Result<(), SimError> {
    let next = AtomicUsize::new(0);
    let failure: Mutex<Option<SimError>> = Mutex::new(None);
    let workers = opts
        .jobs
        .clamp(1, MAX_PARALLEL_COMPILES)
        .min(jobs.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let failed = failure.lock().map(|f| f.is_some()).unwrap_or(true);
                if i >= jobs.len() || failed {
                    break;
                }
                let j = &jobs[i];
                let _slot = CompileSlot::acquire();
                let dir = j.obj.parent().unwrap_or(Path::new("."));
                let r = Tool::new("g++")
                    .arg("-c")
                    .args(j.opt.split_whitespace())
                    .args(flags)
                    .arg(j.src.to_string_lossy())
                    .arg("-o")
                    .arg(j.obj.to_string_lossy())
                    .dir(dir)
                    .timeout(opts.tool_timeout)
                    .run();
                if let Err(e) = r {
                    if let Ok(mut f) = failure.lock() {
                        f.get_or_insert(SimError::from_tool(stage, e));
                    }
                }
            });
        }
    });
    match failure.into_inner().unwrap_or(None) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
