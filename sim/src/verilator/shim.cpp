// skipgrid-sim's C ABI over one Verilated model: whole host-bus programs run per
// call, so the cost of crossing the FFI boundary is paid once per program, not per
// cycle. Compiled with a generated sg_config.h that names the model class and the
// Verilator types of the host-bus ports (derived from manifest.json's widths; the
// static_asserts below catch a manifest that disagrees with the RTL).
// The protocol is documented in sim/src/program.rs; the Icarus testbench (tb.v)
// implements the same one. Keep the two in step.
#include "sg_config.h"

#include "verilated.h"
#include SG_TOP_HEADER
#if SG_TRACE
#include "verilated_vcd_c.h"
#endif

#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

#define SG_EXPORT extern "C" __attribute__((visibility("default")))

template <typename T> using sg_port_t = typename std::remove_reference<T>::type;
static_assert(std::is_same<sg_port_t<decltype(SG_TOP_CLASS::host_addr)>, sg_addr_t>::value,
              "host_addr: the Verilator type does not match host_map.addr_width in manifest.json");
static_assert(std::is_same<sg_port_t<decltype(SG_TOP_CLASS::host_wdata)>, sg_data_t>::value,
              "host_wdata: the Verilator type does not match host_map.data_width in manifest.json");
static_assert(std::is_same<sg_port_t<decltype(SG_TOP_CLASS::host_rdata)>, sg_data_t>::value,
              "host_rdata: the Verilator type does not match host_map.data_width in manifest.json");

// Must match sim/src/verilator.rs.
static const uint32_t SG_ABI_VERSION = 1;
enum : uint32_t { SG_OK = 0, SG_HANG = 1, SG_NO_RVALID = 2, SG_BAD_KIND = 3, SG_FINISHED = 4 };
enum : uint32_t { SG_WRITE = 0, SG_READ = 1, SG_WAIT_DONE = 2, SG_IDLE = 3 };

struct SgOp {
    uint32_t kind;
    uint32_t addr;
    uint64_t arg;
};

struct SgStatus {
    uint32_t code;
    uint32_t reserved;
    uint64_t op;      // index of the failing op
    uint64_t cycles;  // rising edges this call took
    uint64_t detail;  // SG_HANG: cycles waited
};

struct SgSim {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<SG_TOP_CLASS> top;
#if SG_TRACE
    std::unique_ptr<VerilatedVcdC> vcd;
#endif
    uint64_t time = 0;
    uint64_t cycles = 0;
};

static inline void sg_idle_inputs(SG_TOP_CLASS* t) {
    t->host_we = 0;
    t->host_re = 0;
    t->host_addr = 0;
    t->host_wdata = 0;
}

// One rising edge: settle the new inputs with clk low, then raise clk.
static inline void sg_tick(SgSim* s) {
    SG_TOP_CLASS* t = s->top.get();
    t->clk = 0;
    t->eval();
#if SG_TRACE
    if (s->vcd) s->vcd->dump(s->time);
#endif
    s->time += 5;
    t->clk = 1;
    t->eval();
#if SG_TRACE
    if (s->vcd) s->vcd->dump(s->time);
#endif
    s->time += 5;
    s->cycles++;
}

SG_EXPORT uint32_t sg_abi_version() { return SG_ABI_VERSION; }

SG_EXPORT void sg_reset(void* h) {
    SgSim* s = static_cast<SgSim*>(h);
    sg_idle_inputs(s->top.get());
    s->top->rst = 1;
    sg_tick(s);
    sg_tick(s);
    s->top->rst = 0;
}

// Returns nullptr if the model or the VCD file cannot be created.
SG_EXPORT void* sg_new(const char* vcd_path, uint32_t random_init, uint32_t seed) {
    try {
        std::unique_ptr<SgSim> s(new SgSim());
        s->ctx.reset(new VerilatedContext);
        if (random_init) {
            s->ctx->randReset(2);
            s->ctx->randSeed(static_cast<int>(seed));
        }
#if SG_TRACE
        if (vcd_path) s->ctx->traceEverOn(true);
#else
        if (vcd_path) return nullptr;
#endif
        s->top.reset(new SG_TOP_CLASS{s->ctx.get(), "TOP"});
#if SG_TRACE
        if (vcd_path) {
            s->vcd.reset(new VerilatedVcdC);
            s->top->trace(s->vcd.get(), 99);
            s->vcd->open(vcd_path);
            if (!s->vcd->isOpen()) return nullptr;
        }
#endif
        s->top->clk = 0;
        s->top->rst = 0;
        sg_idle_inputs(s->top.get());
        sg_reset(s.get());
        return s.release();
    } catch (...) {
        return nullptr;
    }
}

SG_EXPORT void sg_free(void* h) {
    SgSim* s = static_cast<SgSim*>(h);
    if (!s) return;
    s->top->final();
#if SG_TRACE
    if (s->vcd) s->vcd->close();
#endif
    delete s;
}

SG_EXPORT uint64_t sg_cycles(void* h) { return static_cast<SgSim*>(h)->cycles; }

// Runs ops[0..n). reads/waits must have room for every Read/WaitDone in ops.
SG_EXPORT void sg_run(void* h, const SgOp* ops, uint64_t n, uint64_t* reads, uint64_t* waits,
                      SgStatus* st) {
    SgSim* s = static_cast<SgSim*>(h);
    SG_TOP_CLASS* t = s->top.get();
    const uint64_t start = s->cycles;
    uint64_t nr = 0, nw = 0;
    st->code = SG_OK;
    st->op = 0;
    st->detail = 0;
    for (uint64_t i = 0; i < n && st->code == SG_OK; ++i) {
        const SgOp& op = ops[i];
        switch (op.kind) {
        case SG_WRITE:
            t->host_addr = static_cast<sg_addr_t>(op.addr);
            t->host_wdata = static_cast<sg_data_t>(op.arg);
            t->host_we = 1;
            sg_tick(s);
            sg_idle_inputs(t);
            break;
        case SG_READ:
            t->host_addr = static_cast<sg_addr_t>(op.addr);
            t->host_re = 1;
            sg_tick(s);
            if (!t->host_rvalid) {
                st->code = SG_NO_RVALID;
                st->op = i;
            }
            reads[nr++] = static_cast<uint64_t>(t->host_rdata);
            sg_idle_inputs(t);
            break;
        case SG_WAIT_DONE: {
            uint64_t waited = 0;
            bool seen = false;
            while (waited < op.arg) {
                sg_tick(s);
                ++waited;
                if (t->done) {
                    seen = true;
                    break;
                }
            }
            if (!seen) {
                st->code = SG_HANG;
                st->op = i;
                st->detail = waited;
            }
            waits[nw++] = waited;
            break;
        }
        case SG_IDLE:
            for (uint64_t c = 0; c < op.arg; ++c) sg_tick(s);
            break;
        default:
            st->code = SG_BAD_KIND;
            st->op = i;
        }
        if (st->code == SG_OK && s->ctx->gotFinish()) {
            st->code = SG_FINISHED;
            st->op = i;
        }
    }
    st->cycles = s->cycles - start;
#if SG_TRACE
    if (s->vcd) s->vcd->flush();
#endif
}
