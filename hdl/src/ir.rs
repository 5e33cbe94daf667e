//! A small typed RTL IR: modules with ports, signals, memories, continuous assignments,
//! clocked processes and instances. Every expression carries its width, and the
//! constructors refuse mismatched widths, so a generator bug fails in Rust instead of
//! surfacing as a lint warning. It knows nothing of Verilog syntax (see `skipgrid-gen`).

use std::collections::BTreeMap;

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
    /// A literal of this expression's width.
    pub fn lit(&self, value: u64) -> Expr {
        lit(self.width, value)
    }
    fn name(&self) -> &str {
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

/// Direction of a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// Driven from outside.
    Input,
    /// Driven by the module.
    Output,
}

/// What a signal is declared as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigKind {
    /// Driven by a continuous assignment or an instance.
    Wire,
    /// Driven by a clocked process.
    Reg,
}

/// A module port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    /// Name.
    pub name: String,
    /// Direction.
    pub dir: Dir,
    /// Width in bits.
    pub width: u32,
    /// Wire or reg (outputs only may be regs).
    pub kind: SigKind,
    /// One-line description, printed beside the port.
    pub doc: String,
}

/// A statement inside a clocked process (all assignments are non-blocking).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stmt {
    /// `sig <= value`.
    Set(String, Expr),
    /// `mem[addr] <= value`.
    MemWrite(String, Expr, Expr),
    /// `if (cond) ... else ...`.
    If(Expr, Vec<Stmt>, Vec<Stmt>),
}

/// One item of a module body, printed in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A comment line.
    Comment(String),
    /// A signal declaration.
    Decl {
        /// Name.
        name: String,
        /// Width.
        width: u32,
        /// Wire or reg.
        kind: SigKind,
        /// Declared `signed` (only for the multiplier's operands).
        signed: bool,
    },
    /// `reg [width-1:0] name [0:depth-1]`.
    Memory {
        /// Name.
        name: String,
        /// Word width.
        width: u32,
        /// Words.
        depth: u32,
    },
    /// `assign lhs = rhs`.
    Assign(String, Expr),
    /// `always @(posedge clk)` with these statements.
    Clocked(Vec<Stmt>),
    /// An instance of another module: ports connected by name.
    Instance {
        /// Module name.
        module: String,
        /// Instance name.
        name: String,
        /// (port, expression) in port order.
        conns: Vec<(String, Expr)>,
    },
}

/// A hardware module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// Module name (unique per configuration).
    pub name: String,
    /// Doc comment lines printed above the module.
    pub doc: Vec<String>,
    /// Ports in order.
    pub ports: Vec<Port>,
    /// Body items in order.
    pub items: Vec<Item>,
    widths: BTreeMap<String, u32>,
}

/// Reserved words of Verilog-2005 and SystemVerilog that a signal name must avoid.
const VERILOG_KEYWORDS: &[&str] = &[
    "always",
    "assign",
    "begin",
    "case",
    "default",
    "disable",
    "edge",
    "else",
    "end",
    "event",
    "for",
    "force",
    "function",
    "if",
    "initial",
    "inout",
    "input",
    "integer",
    "logic",
    "module",
    "output",
    "parameter",
    "reg",
    "release",
    "repeat",
    "signed",
    "table",
    "task",
    "time",
    "wait",
    "while",
    "wire",
    "bit",
    "byte",
    "int",
    "final",
    "do",
    "priority",
    "unique",
    "type",
    "ref",
    "const",
    "static",
];

/// A named memory: read with [`Mem::read`], write with [`Mem::write`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mem {
    /// Name.
    pub name: String,
    /// Word width.
    pub width: u32,
    /// Words.
    pub depth: u32,
}

impl Mem {
    /// `mem[addr]`.
    pub fn read(&self, addr: Expr) -> Expr {
        Expr {
            kind: ExprKind::MemRead(self.name.clone(), Box::new(addr)),
            width: self.width,
        }
    }
    /// `mem[addr] <= data`.
    pub fn write(&self, addr: Expr, data: Expr) -> Stmt {
        assert_eq!(
            data.width, self.width,
            "write of {} bits into {}",
            data.width, self.name
        );
        Stmt::MemWrite(self.name.clone(), addr, data)
    }
}

/// `sig <= value`, widths checked.
pub fn set(sig: &Expr, value: Expr) -> Stmt {
    assert_eq!(
        sig.width, value.width,
        "set {:?} from {:?}",
        sig.kind, value.kind
    );
    Stmt::Set(sig.name().to_string(), value)
}

/// `if (cond) then`.
pub fn when(cond: Expr, then: Vec<Stmt>) -> Stmt {
    assert_eq!(cond.width, 1);
    Stmt::If(cond, then, Vec::new())
}

/// `if (cond) then else otherwise`.
pub fn when_else(cond: Expr, then: Vec<Stmt>, otherwise: Vec<Stmt>) -> Stmt {
    assert_eq!(cond.width, 1);
    Stmt::If(cond, then, otherwise)
}

impl Module {
    /// An empty module.
    pub fn new(name: impl Into<String>) -> Self {
        Module {
            name: name.into(),
            doc: Vec::new(),
            ports: Vec::new(),
            items: Vec::new(),
            widths: BTreeMap::new(),
        }
    }
    /// Adds a doc line.
    pub fn doc(&mut self, line: impl Into<String>) {
        self.doc.push(line.into());
    }
    fn declare(&mut self, name: &str, width: u32) -> Expr {
        assert!(width >= 1, "{name} has width 0");
        assert!(
            !VERILOG_KEYWORDS.contains(&name),
            "{name} is a Verilog keyword"
        );
        let old = self.widths.insert(name.to_string(), width);
        assert!(old.is_none(), "{name} declared twice in {}", self.name);
        Expr {
            kind: ExprKind::Sig(name.to_string()),
            width,
        }
    }
    fn port(&mut self, name: &str, dir: Dir, width: u32, kind: SigKind, doc: &str) -> Expr {
        let e = self.declare(name, width);
        self.ports.push(Port {
            name: name.to_string(),
            dir,
            width,
            kind,
            doc: doc.to_string(),
        });
        e
    }
    /// An input port.
    pub fn input(&mut self, name: &str, width: u32, doc: &str) -> Expr {
        self.port(name, Dir::Input, width, SigKind::Wire, doc)
    }
    /// An output driven by an `assign` or an instance.
    pub fn output(&mut self, name: &str, width: u32, doc: &str) -> Expr {
        self.port(name, Dir::Output, width, SigKind::Wire, doc)
    }
    /// An output driven by a clocked process.
    pub fn output_reg(&mut self, name: &str, width: u32, doc: &str) -> Expr {
        self.port(name, Dir::Output, width, SigKind::Reg, doc)
    }
    fn decl(&mut self, name: &str, width: u32, kind: SigKind, signed: bool) -> Expr {
        let e = self.declare(name, width);
        self.items.push(Item::Decl {
            name: name.to_string(),
            width,
            kind,
            signed,
        });
        e
    }
    /// An internal wire.
    pub fn wire(&mut self, name: &str, width: u32) -> Expr {
        self.decl(name, width, SigKind::Wire, false)
    }
    /// An internal wire declared signed (for a signed multiplier).
    pub fn signed_wire(&mut self, name: &str, width: u32) -> Expr {
        self.decl(name, width, SigKind::Wire, true)
    }
    /// A wire driven by `value`.
    pub fn wire_of(&mut self, name: &str, value: Expr) -> Expr {
        let w = self.wire(name, value.width);
        self.assign(&w, value);
        w
    }
    /// An internal register.
    pub fn reg(&mut self, name: &str, width: u32) -> Expr {
        self.decl(name, width, SigKind::Reg, false)
    }
    /// A memory array.
    pub fn memory(&mut self, name: &str, width: u32, depth: u32) -> Mem {
        self.declare(name, width);
        self.items.push(Item::Memory {
            name: name.to_string(),
            width,
            depth,
        });
        Mem {
            name: name.to_string(),
            width,
            depth,
        }
    }
    /// A comment line in the body.
    pub fn comment(&mut self, text: impl Into<String>) {
        self.items.push(Item::Comment(text.into()));
    }
    /// `assign lhs = rhs`.
    pub fn assign(&mut self, lhs: &Expr, rhs: Expr) {
        assert_eq!(
            lhs.width, rhs.width,
            "assign {:?} = {:?}",
            lhs.kind, rhs.kind
        );
        self.items.push(Item::Assign(lhs.name().to_string(), rhs));
    }
    /// `always @(posedge clk) begin stmts end`.
    pub fn clocked(&mut self, stmts: Vec<Stmt>) {
        self.items.push(Item::Clocked(stmts));
    }
    /// An instance of `module` named `name`; every port must be connected, with the
    /// port's width.
    pub fn instance(&mut self, module: &Module, name: &str, conns: Vec<(&str, Expr)>) {
        assert_eq!(
            conns.len(),
            module.ports.len(),
            "{name}: {} of {} ports connected",
            conns.len(),
            module.ports.len()
        );
        assert!(
            !self.widths.contains_key(name),
            "instance {name} clashes with a signal"
        );
        self.widths.insert(name.to_string(), 0);
        let mut ordered = Vec::new();
        for p in &module.ports {
            let (_, e) = conns
                .iter()
                .find(|(n, _)| *n == p.name)
                .unwrap_or_else(|| panic!("{name}: port {} not connected", p.name));
            assert_eq!(
                e.width, p.width,
                "{name}.{}: {} bits for a {}-bit port",
                p.name, e.width, p.width
            );
            ordered.push((p.name.clone(), e.clone()));
        }
        self.items.push(Item::Instance {
            module: module.name.clone(),
            name: name.to_string(),
            conns: ordered,
        });
    }
    /// The port named `name`.
    pub fn find_port(&self, name: &str) -> Option<&Port> {
        self.ports.iter().find(|p| p.name == name)
    }
}
