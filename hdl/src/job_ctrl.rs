//! Job control and the cycle counter: busy from the start write until the last partial
//! sum is in the output buffer, then done. Once the sequencer, the loader and the
//! streamer are all idle, the last row's sums still need rows + cols cycles to leave the
//! mesh and reach the last column's accumulator: a countdown covers that drain, once per
//! job. A job whose blocks were all pruned finishes at once.

use crate::ir::{lit, set, when, when_else, Module};
use skipgrid_config::{clog2, ArrayConfig};

/// Cycles the drain countdown starts from: the last accumulator write happens
/// rows + cols − 2 + mac_latency cycles after the first idle cycle (docs/cycle-model.md).
pub fn drain_start(cfg: &ArrayConfig) -> u64 {
    u64::from(cfg.rows + cfg.cols + cfg.mac_latency() - 3)
}

/// The job controller module.
pub fn job_ctrl(cfg: &ArrayConfig) -> Module {
    let cw = cfg.cycle_counter_width();
    let dw = clog2(drain_start(cfg) + 1).max(1);
    let mut m = Module::new(format!("{}_job_ctrl", cfg.module_prefix()));
    m.doc("Job control: start, busy, done, drain countdown and the cycle counter.");
    let _clk = m.input("clk", 1, "clock");
    let rst = m.input("rst", 1, "synchronous reset");
    let start_req = m.input("start_req", 1, "the host wrote CTRL.start");
    let job_ok = m.input("job_ok", 1, "the job registers are in range");
    let blk_valid = m.input("blk_valid", 1, "the sequencer still offers a block");
    let ld_valid = m.input("ld_valid", 1, "the loader is issuing");
    let full_0 = m.input("full_0", 1, "bank 0 waits to be streamed");
    let full_1 = m.input("full_1", 1, "bank 1 waits to be streamed");
    let st_active = m.input("st_active", 1, "the streamer is issuing");
    let streamed_any = m.input("streamed_any", 1, "a block was streamed");
    let start = m.output("start", 1, "the job starts (one cycle)");
    let busy = m.output_reg("busy", 1, "a job runs");
    let done = m.output_reg("done", 1, "the last job finished");
    let error = m.output_reg(
        "error",
        1,
        "the last start was refused: job registers out of range",
    );
    let cycles = m.output_reg("cycles", cw, "cycles of the last job");

    let draining = m.reg("draining", 1);
    let count = m.reg("drain_count", dw);
    let req = m.wire_of("req", start_req.land(busy.clone().not()));
    m.assign(&start, req.clone().land(job_ok.clone()));
    let idle = blk_valid
        .not()
        .land(ld_valid.not())
        .land(full_0.not())
        .land(full_1.not())
        .land(st_active.not());
    let idle = m.wire_of("idle", idle);
    let finish = vec![set(&busy, lit(1, 0)), set(&done, lit(1, 1))];
    m.clocked(vec![when_else(
        rst,
        vec![
            set(&busy, lit(1, 0)),
            set(&done, lit(1, 0)),
            set(&error, lit(1, 0)),
            set(&cycles, lit(cw, 0)),
            set(&draining, lit(1, 0)),
        ],
        vec![when_else(
            req,
            vec![
                set(&busy, job_ok.clone()),
                set(&done, job_ok.clone().not()),
                set(&error, job_ok.not()),
                set(&cycles, lit(cw, 0)),
                set(&draining, lit(1, 0)),
            ],
            vec![when(
                busy.clone(),
                vec![
                    set(&cycles, cycles.clone().add(lit(cw, 1))),
                    when_else(
                        draining.clone(),
                        vec![when_else(
                            count.clone().eq(lit(dw, 0)),
                            finish.clone(),
                            vec![set(&count, count.clone().sub(lit(dw, 1)))],
                        )],
                        vec![when(
                            idle,
                            vec![when_else(
                                streamed_any,
                                vec![
                                    set(&draining, lit(1, 1)),
                                    set(&count, lit(dw, drain_start(cfg))),
                                ],
                                finish,
                            )],
                        )],
                    ),
                ],
            )],
        )],
    )]);
    m
}
