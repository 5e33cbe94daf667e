//! Parser for the CTranslate2 `model.bin` container, version 6.
//!
//! Layout (little-endian; `str` = u16 length counting a trailing NUL, the bytes, the NUL):
//! `u32 version; str spec; u32 revision; u32 nvars;` then per variable
//! `str name; u8 rank; u32 dims[rank]; u8 dtype; u32 nbytes; bytes`, then
//! `u32 naliases;` and per alias `str alias; str target`. Dtype codes: 0 f32, 1 i8,
//! 2 i16, 3 i32, 4 f16, 5 bf16. There is no padding, so fp16 data can start at odd
//! offsets; readers here decode byte-wise and never cast pointers.

use std::path::Path;

use crate::error::{PruneError, Result};
use crate::source::{DType, TensorEntry};

/// The parsed table of a `model.bin`.
#[derive(Debug, Clone)]
pub struct Ct2Table {
    /// Spec name, e.g. `WhisperSpec`.
    pub spec: String,
    /// Spec revision.
    pub revision: u32,
    /// The variables in file order.
    pub tensors: Vec<TensorEntry>,
    /// `(alias, target)` pairs.
    pub aliases: Vec<(String, String)>,
}

struct Cursor<'a> {
    path: &'a Path,
    b: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        if self.b.len().saturating_sub(self.pos) < n {
            return Err(PruneError::Truncated {
                path: self.path.to_path_buf(),
                what: what.to_string(),
                offset: self.pos,
                len: self.b.len(),
            });
        }
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn u8(&mut self, what: &str) -> Result<u8> {
        Ok(self.take(1, what)?[0])
    }
    fn u16(&mut self, what: &str) -> Result<u16> {
        let s = self.take(2, what)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32(&mut self, what: &str) -> Result<u32> {
        let s = self.take(4, what)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn str(&mut self, what: &str) -> Result<String> {
        let at = self.pos;
        let n = self.u16(what)? as usize;
        let s = self.take(n, what)?;
        let s = s.strip_suffix(&[0]).ok_or_else(|| {
            PruneError::corrupt(self.path, format!("{what} at byte {at} lacks its NUL"))
        })?;
        String::from_utf8(s.to_vec()).map_err(|_| {
            PruneError::corrupt(self.path, format!("{what} at byte {at} is not UTF-8"))
        })
    }
}

fn dtype(code: u8) -> Option<DType> {
    Some(match code {
        0 => DType::F32,
        1 => DType::Other("i8", 1),
        2 => DType::Other("i16", 2),
        3 => DType::Other("i32", 4),
        4 => DType::F16,
        5 => DType::BF16,
        _ => return None,
    })
}

/// Parses the table of a `model.bin` held in `b`.
pub fn parse(path: &Path, b: &[u8]) -> Result<Ct2Table> {
    let mut c = Cursor { path, b, pos: 0 };
    let version = c.u32("version")?;
    if version != 6 {
        return Err(PruneError::corrupt(
            path,
            format!("CTranslate2 model version {version}; only version 6 is supported"),
        ));
    }
    let spec = c.str("spec name")?;
    let revision = c.u32("revision")?;
    let nvars = c.u32("variable count")? as usize;
    let mut tensors = Vec::with_capacity(nvars.min(1 << 16));
    for i in 0..nvars {
        let name = c.str(&format!("name of variable {i}"))?;
        let rank = c.u8(&format!("rank of '{name}'"))? as usize;
        let mut shape = Vec::with_capacity(rank);
        for _ in 0..rank {
            shape.push(c.u32(&format!("shape of '{name}'"))? as usize);
        }
        let code = c.u8(&format!("dtype of '{name}'"))?;
        let dtype = dtype(code).ok_or_else(|| {
            PruneError::corrupt(
                path,
                format!("tensor '{name}' has unknown dtype code {code}"),
            )
        })?;
        let nbytes = c.u32(&format!("byte count of '{name}'"))? as usize;
        let expect = shape.iter().product::<usize>() * dtype.size();
        if expect != nbytes {
            return Err(PruneError::corrupt(
                path,
                format!("tensor '{name}' {shape:?} {dtype} should hold {expect} bytes, header says {nbytes}"),
            ));
        }
        let offset = c.pos;
        c.take(nbytes, &format!("data of '{name}'"))?;
        tensors.push(TensorEntry {
            name,
            shape,
            dtype,
            offset,
            nbytes,
        });
    }
    let naliases = c.u32("alias count")? as usize;
    let mut aliases = Vec::new();
    for i in 0..naliases {
        let a = c.str(&format!("alias {i}"))?;
        let t = c.str(&format!("target of alias '{a}'"))?;
        aliases.push((a, t));
    }
    if c.pos != b.len() {
        return Err(PruneError::corrupt(
            path,
            format!("{} trailing bytes after the alias table", b.len() - c.pos),
        ));
    }
    Ok(Ct2Table {
        spec,
        revision,
        tensors,
        aliases,
    })
}
