//! Modules, statements, and the builder methods the generators call.

use super::expr::{Expr, ExprKind};
use std::collections::BTreeMap;

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
}
