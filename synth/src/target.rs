//! Synthesis targets and what each one counts.

use crate::error::SynthError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where the design is mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// Yosys' internal gate library (`synth`): cells by type and flip-flops.
    Generic,
    /// Lattice iCE40 (`synth_ice40 -dsp`): LUT4s, carries, flip-flops, MAC16s, 4K RAMs.
    Ice40,
    /// Xilinx 7-series (`synth_xilinx`): LUTs, CARRY4s, flip-flops, DSP48s, block RAMs.
    Xilinx,
    /// Standard cells (OSU 0.18 µm): transistors, area in µm², and OpenSTA timing.
    Asic,
}

impl Target {
    /// All targets, in the order they are documented.
    pub const ALL: [Target; 4] = [Target::Generic, Target::Ice40, Target::Xilinx, Target::Asic];

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Target::Generic => "generic",
            Target::Ice40 => "ice40",
            Target::Xilinx => "xilinx",
            Target::Asic => "asic",
        }
    }

    /// FPGA targets infer block RAMs; the others black-box `ram` modules.
    pub fn is_fpga(self) -> bool {
        matches!(self, Target::Ice40 | Target::Xilinx)
    }

    /// The Yosys synthesis command for `top`. Hierarchy is always kept: flattening a
    /// 16x16 array took minutes and 1.3 GB instead of seconds.
    pub fn synth_command(self, top: &str) -> String {
        match self {
            Target::Generic | Target::Asic => format!("synth -top {top}"),
            Target::Ice40 => format!("synth_ice40 -dsp -noflatten -top {top}"),
            Target::Xilinx => format!("synth_xilinx -top {top}"),
        }
    }

    /// Whether a mapped cell type is a flip-flop (one bit each) on this target.
    pub fn is_flip_flop(self, cell_type: &str) -> bool {
        match self {
            Target::Generic | Target::Asic => {
                cell_type.starts_with("$_") && cell_type.contains("DFF")
            }
            Target::Ice40 => cell_type.starts_with("SB_DFF"),
            Target::Xilinx => cell_type.starts_with("FD"),
        }
    }

    /// Whether a mapped cell type is a latch on this target.
    pub fn is_latch(self, cell_type: &str) -> bool {
        match self {
            Target::Generic | Target::Asic => {
                cell_type.starts_with("$_DLATCH") || cell_type.starts_with("$_SR_")
            }
            Target::Ice40 => false,
            Target::Xilinx => cell_type.starts_with("LD"),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Target {
    type Err = SynthError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| SynthError::UnknownTarget(s.to_string()))
    }
}

/// FPGA resource classes read from `cells_by_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FpgaResource {
    /// Look-up tables.
    Lut,
    /// Carry-chain cells.
    Carry,
    /// Hard multipliers.
    Dsp,
    /// Block RAMs.
    Bram,
    /// LUTs used as RAM or shift registers (Xilinx).
    LutRam,
}

/// The FPGA resource a cell type uses, if any.
pub fn fpga_resource(target: Target, cell_type: &str) -> Option<FpgaResource> {
    match target {
        Target::Ice40 => match cell_type {
            "SB_LUT4" => Some(FpgaResource::Lut),
            "SB_CARRY" => Some(FpgaResource::Carry),
            "SB_MAC16" => Some(FpgaResource::Dsp),
            t if t.starts_with("SB_RAM40") => Some(FpgaResource::Bram),
            _ => None,
        },
        Target::Xilinx => match cell_type {
            t if t.starts_with("LUT") => Some(FpgaResource::Lut),
            t if t.starts_with("CARRY") => Some(FpgaResource::Carry),
            t if t.starts_with("DSP48") => Some(FpgaResource::Dsp),
            t if t.starts_with("RAMB") => Some(FpgaResource::Bram),
            t if t.starts_with("RAM") || t.starts_with("SRL") => Some(FpgaResource::LutRam),
            _ => None,
        },
        Target::Generic | Target::Asic => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names() {
        for t in Target::ALL {
            assert_eq!(t.name().parse::<Target>().unwrap(), t);
        }
        let e = "vhdl".parse::<Target>().unwrap_err();
        assert!(
            e.to_string().contains("generic, ice40, xilinx, asic"),
            "{e}"
        );
    }

    #[test]
    fn classifies_cells() {
        assert!(Target::Generic.is_flip_flop("$_SDFFE_PP0P_"));
        assert!(!Target::Generic.is_flip_flop("$_AND_"));
        assert!(Target::Generic.is_latch("$_DLATCH_P_"));
        assert_eq!(
            fpga_resource(Target::Xilinx, "RAMB18E1"),
            Some(FpgaResource::Bram)
        );
        assert_eq!(
            fpga_resource(Target::Xilinx, "RAM64M"),
            Some(FpgaResource::LutRam)
        );
        assert_eq!(
            fpga_resource(Target::Ice40, "SB_MAC16"),
            Some(FpgaResource::Dsp)
        );
    }
}
