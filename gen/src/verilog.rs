//! The one Verilog formatter: RTL IR in, Verilog-2005 text out. Every generated file goes
//! through [`module_to_verilog`], so indentation, declaration style and the
//! `default_nettype` guards are the same everywhere.

use skipgrid_hdl::ir::{BinOp, Dir, Expr, ExprKind, Item, Module, SigKind, Stmt};
use std::fmt::Write;

const INDENT: &str = "    ";

fn range(width: u32) -> String {
    if width == 1 {
        String::new()
    } else {
        format!("[{}:0]", width - 1)
    }
}

fn op_str(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::And => "&",
        BinOp::Or => "|",
        BinOp::Xor => "^",
        BinOp::Eq => "==",
        BinOp::Ne => "!=",
        BinOp::Lt => "<",
        BinOp::Ge => ">=",
        BinOp::LAnd => "&&",
        BinOp::LOr => "||",
    }
}

/// Verilog text of an expression. Nested operators are parenthesised, never guessed.
pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Sig(n) => n.clone(),
        ExprKind::Lit(v) => {
            if e.width == 1 {
                format!("1'b{v}")
            } else {
                format!("{}'d{v}", e.width)
            }
        }
        ExprKind::Bit(n, i) => format!("{n}[{i}]"),
        ExprKind::Slice(n, hi, lo) => format!("{n}[{hi}:{lo}]"),
        ExprKind::MemRead(n, a) => format!("{n}[{}]", expr(a)),
        ExprKind::Concat(parts) => {
            let p: Vec<String> = parts.iter().map(expr).collect();
            format!("{{{}}}", p.join(", "))
        }
        ExprKind::Repl(n, x) => format!("{{{n}{{{}}}}}", expr(x)),
        ExprKind::Not(x) => {
            if x.width == 1 {
                format!("!{}", atom(x))
            } else {
                format!("~{}", atom(x))
            }
        }
        ExprKind::RedOr(x) => format!("|{}", atom(x)),
        ExprKind::Bin(op, a, b) => format!("{} {} {}", atom(a), op_str(*op), atom(b)),
        ExprKind::Mux(c, a, b) => format!("{} ? {} : {}", atom(c), atom(a), atom(b)),
    }
}

fn atom(e: &Expr) -> String {
    match e.kind {
        ExprKind::Bin(..) | ExprKind::Mux(..) => format!("({})", expr(e)),
        _ => expr(e),
    }
}

fn stmts(out: &mut String, body: &[Stmt], depth: usize) {
    let pad = INDENT.repeat(depth);
    for s in body {
        match s {
            Stmt::Set(n, v) => {
                let _ = writeln!(out, "{pad}{n} <= {};", expr(v));
            }
            Stmt::MemWrite(n, a, v) => {
                let _ = writeln!(out, "{pad}{n}[{}] <= {};", expr(a), expr(v));
            }
            Stmt::If(c, then, otherwise) => {
                let _ = writeln!(out, "{pad}if ({}) begin", expr(c));
                stmts(out, then, depth + 1);
                if otherwise.is_empty() {
                    let _ = writeln!(out, "{pad}end");
                } else if let [nested @ Stmt::If(..)] = otherwise.as_slice() {
                    let _ = write!(out, "{pad}end else ");
                    let mut inner = String::new();
                    stmts(&mut inner, std::slice::from_ref(nested), depth);
                    out.push_str(inner.trim_start());
                } else {
                    let _ = writeln!(out, "{pad}end else begin");
                    stmts(out, otherwise, depth + 1);
                    let _ = writeln!(out, "{pad}end");
                }
            }
        }
    }
}

/// The complete text of one generated file holding one module.
pub fn module_to_verilog(m: &Module, header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "// {line}");
    }
    out.push_str("`default_nettype none\n\n");
    for line in &m.doc {
        let _ = writeln!(out, "// {line}");
    }
    let _ = writeln!(out, "module {} (", m.name);
    let widest = m
        .ports
        .iter()
        .map(|p| range(p.width).len())
        .max()
        .unwrap_or(0);
    for (i, p) in m.ports.iter().enumerate() {
        let dir = match p.dir {
            Dir::Input => "input ",
            Dir::Output => "output",
        };
        let kind = match p.kind {
            SigKind::Wire => "wire",
            SigKind::Reg => "reg ",
        };
        let sep = if i + 1 == m.ports.len() { "" } else { "," };
        let decl = format!(
            "{INDENT}{dir} {kind} {:<widest$} {}{sep}",
            range(p.width),
            p.name
        );
        if p.doc.is_empty() {
            let _ = writeln!(out, "{}", decl.trim_end());
        } else {
            let _ = writeln!(out, "{decl:<60} // {}", p.doc);
        }
    }
    out.push_str(");\n");
    for item in &m.items {
        match item {
            Item::Comment(c) => {
                let _ = writeln!(out, "\n{INDENT}// {c}");
            }
            Item::Decl {
                name,
                width,
                kind,
                signed,
            } => {
                let kind = match kind {
                    SigKind::Wire => "wire",
                    SigKind::Reg => "reg",
                };
                let s = if *signed { " signed" } else { "" };
                let r = range(*width);
                let sp = if r.is_empty() { "" } else { " " };
                let _ = writeln!(out, "{INDENT}{kind}{s}{sp}{r} {name};");
            }
            Item::Memory { name, width, depth } => {
                let r = range(*width);
                let sp = if r.is_empty() { "" } else { " " };
                let _ = writeln!(out, "{INDENT}reg{sp}{r} {name} [0:{}];", depth - 1);
            }
            Item::Assign(n, v) => {
                let _ = writeln!(out, "{INDENT}assign {n} = {};", expr(v));
            }
            Item::Clocked(body) => {
                let _ = writeln!(out, "{INDENT}always @(posedge clk) begin");
                stmts(&mut out, body, 2);
                let _ = writeln!(out, "{INDENT}end");
            }
            Item::Instance {
                module,
                name,
                conns,
            } => {
                let _ = writeln!(out, "{INDENT}{module} {name} (");
                for (i, (p, e)) in conns.iter().enumerate() {
                    let sep = if i + 1 == conns.len() { "" } else { "," };
                    let _ = writeln!(out, "{INDENT}{INDENT}.{p}({}){sep}", expr(e));
                }
                let _ = writeln!(out, "{INDENT});");
            }
        }
    }
    out.push_str("endmodule\n\n`default_nettype wire\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use skipgrid_hdl::ir::{lit, mux, set, when_else};

    #[test]
    fn formats_a_small_module() {
        let mut m = Module::new("demo");
        let clk = m.input("clk", 1, "clock");
        let a = m.input("a", 4, "");
        let q = m.output_reg("q", 4, "registered sum");
        let s = m.wire_of("sum", a.clone().add(lit(4, 1)));
        m.clocked(vec![when_else(
            clk.clone(),
            vec![set(&q, s)],
            vec![set(&q, mux(a.bit(0), a.clone(), lit(4, 0)))],
        )]);
        let text = module_to_verilog(&m, "header");
        assert!(text.starts_with("// header\n`default_nettype none\n"));
        assert!(text.contains("assign sum = a + 4'd1;"), "{text}");
        assert!(text.contains("q <= a[0] ? a : 4'd0;"), "{text}");
        assert!(text.ends_with("endmodule\n\n`default_nettype wire\n"));
    }
}
