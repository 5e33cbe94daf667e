//! Small structural helpers shared by the generators.

use crate::ir::{concat, lit, mux, Expr, Module};
use skipgrid_config::clog2;

/// Storage width of an index with `bits` bits: at least one.
pub fn w1(bits: u32) -> u32 {
    bits.max(1)
}

/// The low `bits` bits of `e`, or nothing when `bits` is zero.
pub fn low(e: &Expr, bits: u32) -> Option<Expr> {
    (bits > 0).then(|| e.slice(bits - 1, 0))
}

/// Concatenates the fields that exist, most significant first.
pub fn cat(fields: Vec<Option<Expr>>) -> Expr {
    let parts: Vec<Expr> = fields.into_iter().flatten().collect();
    if parts.is_empty() {
        lit(1, 0)
    } else {
        concat(parts)
    }
}

/// `e · k` for a constant `k` and a named signal `e`, as a sum of shifted copies,
/// `width` bits wide (the product wraps).
pub fn mul_const(e: &Expr, k: u64, width: u32) -> Expr {
    let mut terms = Vec::new();
    for s in 0..width.min(64) {
        if k >> s & 1 == 1 {
            let keep = e.width.min(width - s);
            let mut parts = vec![e.slice(keep - 1, 0)];
            if s > 0 {
                parts.push(lit(s, 0));
            }
            terms.push(concat(parts).zext(width));
        }
    }
    terms
        .into_iter()
        .reduce(|a, b| a.add(b))
        .unwrap_or_else(|| lit(width, 0))
}

/// A balanced find-first-set tree over `bits` (index 0 has priority), built from named
/// wires `{name}_f*`/`{name}_i*`: returns (found, index). Depth is log2(n) multiplexers,
/// never a chain as long as the vector.
pub fn find_first(m: &mut Module, name: &str, bits: &[Expr]) -> (Expr, Expr) {
    assert!(!bits.is_empty());
    let mut counter = 0usize;
    let (f, i) = ffs_node(m, name, bits, &mut counter);
    (f, i.unwrap_or_else(|| lit(1, 0)))
}

fn ffs_node(m: &mut Module, name: &str, bits: &[Expr], n: &mut usize) -> (Expr, Option<Expr>) {
    if bits.len() == 1 {
        return (bits[0].clone(), None);
    }
    let half = bits.len().next_power_of_two() / 2;
    let (lf, li) = ffs_node(m, name, &bits[..half], n);
    let (rf, ri) = ffs_node(m, name, &bits[half..], n);
    let iw = clog2(half as u64);
    let idx = if iw == 0 {
        lf.clone().not()
    } else {
        let pad = |i: Option<Expr>| -> Expr {
            match i {
                None => lit(iw, 0),
                Some(e) => e.zext(iw),
            }
        };
        mux(
            lf.clone(),
            concat(vec![lit(1, 0), pad(li)]),
            concat(vec![lit(1, 1), pad(ri)]),
        )
    };
    let k = *n;
    *n += 1;
    let f = m.wire_of(&format!("{name}_f{k}"), lf.lor(rf));
    let i = m.wire_of(&format!("{name}_i{k}"), idx);
    (f, Some(i))
}
