//! Expressions: every one carries its width, and constructors check widths.

use super::Stmt;

/// A binary operator. Arithmetic and bitwise operators need equal widths and keep them;
/// comparisons need equal widths and give one bit; logical ones take and give one bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    And,
    Or,
    Xor,
    Eq,
    Ne,
    Lt,
    Ge,
    LAnd,
    LOr,
}

/// The shape of an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ExprKind {
    Sig(String),
    Lit(u64),
    Bit(String, u32),
    Slice(String, u32, u32),
    MemRead(String, Box<Expr>),
    Concat(Vec<Expr>),
    Repl(u32, Box<Expr>),
    Not(Box<Expr>),
    RedOr(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Mux(Box<Expr>, Box<Expr>, Box<Expr>),
}

/// An expression and its width in bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    /// What it computes.
    pub kind: ExprKind,
    /// Its width.
    pub width: u32,
}

/// A literal of `width` bits.
pub fn lit(width: u32, value: u64) -> Expr {
    assert!(width >= 1, "literal width 0");
    assert!(
        width >= 64 || value >> width == 0,
        "{value} does not fit {width} bits"
    );
    Expr {
        kind: ExprKind::Lit(value),
        width,
    }
}

/// Concatenation, most significant part first.
pub fn concat(parts: Vec<Expr>) -> Expr {
    assert!(!parts.is_empty());
    if parts.len() == 1 {
        return parts.into_iter().next().unwrap_or_else(|| lit(1, 0));
    }
    let width = parts.iter().map(|p| p.width).sum();
    Expr {
        kind: ExprKind::Concat(parts),
        width,
    }
}

/// `c ? a : b`.
pub fn mux(c: Expr, a: Expr, b: Expr) -> Expr {
    assert_eq!(c.width, 1, "mux select must be one bit");
    assert_eq!(a.width, b.width, "mux arms differ in width");
    let width = a.width;
    Expr {
        kind: ExprKind::Mux(Box::new(c), Box::new(a), Box::new(b)),
        width,
    }
}

// `add`, `sub`, `mul` and `not` build width-checked IR nodes; they are deliberately not
// the std::ops traits, whose `a + b` would hide that each call allocates a node.
#[allow(clippy::should_implement_trait)]
impl Expr {
    fn bin(self, op: BinOp, rhs: Expr) -> Expr {
        use BinOp::*;
        let width = match op {
            Mul => self.width + rhs.width,
            Add | Sub | And | Or | Xor => {
                assert_eq!(
                    self.width, rhs.width,
                    "{op:?} operands differ: {self:?} vs {rhs:?}"
                );
                self.width
            }
            Eq | Ne | Lt | Ge => {
                assert_eq!(
                    self.width, rhs.width,
                    "{op:?} operands differ: {self:?} vs {rhs:?}"
                );
                1
            }
            LAnd | LOr => {
                assert!(
                    self.width == 1 && rhs.width == 1,
                    "{op:?} needs one-bit operands"
                );
                1
            }
        };
        Expr {
            kind: ExprKind::Bin(op, Box::new(self), Box::new(rhs)),
            width,
        }
    }
    /// Sum, same width (wraps).
    pub fn add(self, r: Expr) -> Expr {
        self.bin(BinOp::Add, r)
    }
    /// Difference, same width (wraps).
    pub fn sub(self, r: Expr) -> Expr {
        self.bin(BinOp::Sub, r)
    }
    /// Full product, as wide as both operands together. Only for operands declared
    /// signed (see `Module::signed_wire`), which Verilog then multiplies as signed.
    pub fn mul(self, r: Expr) -> Expr {
        self.bin(BinOp::Mul, r)
    }
    /// Bitwise and.
    pub fn and(self, r: Expr) -> Expr {
        self.bin(BinOp::And, r)
    }
    /// Bitwise or.
    pub fn or(self, r: Expr) -> Expr {
        self.bin(BinOp::Or, r)
    }
    /// Bitwise xor.
    pub fn xor(self, r: Expr) -> Expr {
        self.bin(BinOp::Xor, r)
    }
    /// Equality.
    pub fn eq(self, r: Expr) -> Expr {
        self.bin(BinOp::Eq, r)
    }
    /// Inequality.
    pub fn ne(self, r: Expr) -> Expr {
        self.bin(BinOp::Ne, r)
    }
    /// Unsigned less-than.
    pub fn lt(self, r: Expr) -> Expr {
        self.bin(BinOp::Lt, r)
    }
    /// Unsigned greater-or-equal.
    pub fn ge(self, r: Expr) -> Expr {
        self.bin(BinOp::Ge, r)
    }
    /// Logical and of one-bit values.
    pub fn land(self, r: Expr) -> Expr {
        self.bin(BinOp::LAnd, r)
    }
    /// Logical or of one-bit values.
    pub fn lor(self, r: Expr) -> Expr {
        self.bin(BinOp::LOr, r)
    }
    /// Bitwise not.
    pub fn not(self) -> Expr {
        let width = self.width;
        Expr {
            kind: ExprKind::Not(Box::new(self)),
            width,
        }
    }
    /// Reduction or: one bit, set when any bit is.
    pub fn any(self) -> Expr {
        Expr {
            kind: ExprKind::RedOr(Box::new(self)),
            width: 1,
        }
    }
    pub(crate) fn name(&self) -> &str {
        match &self.kind {
            ExprKind::Sig(n) => n,
            other => panic!("bit selects need a named signal, got {other:?}"),
        }
    }
    /// Bit `i` of a named signal (the signal itself when it is one bit wide).
    pub fn bit(&self, i: u32) -> Expr {
        assert!(i < self.width, "bit {i} of a {}-bit signal", self.width);
        if self.width == 1 {
            return self.clone();
        }
        Expr {
            kind: ExprKind::Bit(self.name().to_string(), i),
            width: 1,
        }
    }
    /// Bit `idx` of a named vector, `idx` an expression (the vector itself when one bit wide).
    pub fn bit_at(&self, idx: Expr) -> Expr {
        if self.width == 1 {
            return self.clone();
        }
        Expr {
            kind: ExprKind::MemRead(self.name().to_string(), Box::new(idx)),
            width: 1,
        }
    }
    /// `vec[idx] <= value` for a one-bit `value` (the whole signal when it is one bit wide).
    pub fn set_bit(&self, idx: Expr, value: Expr) -> Stmt {
        assert_eq!(value.width, 1);
        if self.width == 1 {
            return Stmt::Set(self.name().to_string(), value);
        }
        Stmt::MemWrite(self.name().to_string(), idx, value)
    }
    /// Bits `hi..=lo` of a named signal.
    pub fn slice(&self, hi: u32, lo: u32) -> Expr {
        assert!(
            hi >= lo && hi < self.width,
            "[{hi}:{lo}] of {} bits",
            self.width
        );
        if hi == lo {
            return self.bit(hi);
        }
        if lo == 0 && hi + 1 == self.width {
            return self.clone();
        }
        Expr {
            kind: ExprKind::Slice(self.name().to_string(), hi, lo),
            width: hi - lo + 1,
        }
    }
    /// Zero-extends (or keeps) to `width` bits.
    pub fn zext(self, width: u32) -> Expr {
        assert!(
            width >= self.width,
            "zext narrows {} to {width}",
            self.width
        );
        if width == self.width {
            return self;
        }
        concat(vec![lit(width - self.width, 0), self])
    }
    /// Sign-extends a named signal to `width` bits.
    pub fn sext(&self, width: u32) -> Expr {
        assert!(width >= self.width);
        if width == self.width {
            return self.clone();
        }
        let msb = self.bit(self.width - 1);
        let rep = width - self.width;
        let ext = if rep == 1 {
            msb
        } else {
            Expr {
                kind: ExprKind::Repl(rep, Box::new(msb)),
                width: rep,
            }
        };
        concat(vec![ext, self.clone()])
    }
}
