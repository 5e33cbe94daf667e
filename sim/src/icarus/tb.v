// skipgrid-sim's Icarus testbench: test-only Verilog, never synthesised. Reads a
// host-bus program with $readmemh, runs it with the protocol of sim/src/program.rs
// (the same one as sim/src/verilator/shim.cpp: keep them in step) and writes one
// line per result for Rust to parse.
// Plusargs: +prog=FILE +out=FILE +n=OPS [+vcd=FILE]. Compiled with
// -DSKIPGRID_TOP=<top> and -P for AW, DW and MAX_OPS.
`timescale 1ns / 1ps
`default_nettype none
module skipgrid_tb;
  parameter AW = 8;
  parameter DW = 64;
  parameter MAX_OPS = 1024;

  reg           clk = 1'b0;
  reg           rst = 1'b0;
  reg  [AW-1:0] host_addr = {AW{1'b0}};
  reg  [DW-1:0] host_wdata = {DW{1'b0}};
  reg           host_we = 1'b0;
  reg           host_re = 1'b0;
  wire [DW-1:0] host_rdata;
  wire          host_rvalid;
  wire          busy;
  wire          done;

  `SKIPGRID_TOP dut (
      .clk(clk),
      .rst(rst),
      .host_addr(host_addr),
      .host_wdata(host_wdata),
      .host_we(host_we),
      .host_re(host_re),
      .host_rdata(host_rdata),
      .host_rvalid(host_rvalid),
      .busy(busy),
      .done(done)
  );

  // One op per word: {kind[7:0], 24'b0, addr[31:0], arg[63:0]}; kinds as in program.rs.
  reg [127:0] prog[0:MAX_OPS-1];
  reg [127:0] op;
  reg [8*4096-1:0] prog_file, out_file, vcd_file;
  integer fd, n, pc;
  reg [63:0] cycles, waited, c;
  reg failed, seen;

  // One rising edge; inputs change only at the falling edge between two of them.
  task tick;
    begin
      #5 clk = 1'b1;
      #5 clk = 1'b0;
      cycles = cycles + 64'd1;
    end
  endtask

  task idle_inputs;
    begin
      host_we    = 1'b0;
      host_re    = 1'b0;
      host_addr  = {AW{1'b0}};
      host_wdata = {DW{1'b0}};
    end
  endtask

  initial begin
    if (!$value$plusargs("prog=%s", prog_file) || !$value$plusargs("out=%s", out_file)
        || !$value$plusargs("n=%d", n)) begin
      $display("skipgrid_tb: usage: vvp tb.vvp +prog=FILE +out=FILE +n=OPS [+vcd=FILE]");
      $finish;
    end
    if ($value$plusargs("vcd=%s", vcd_file)) begin
      $dumpfile(vcd_file);
      $dumpvars(0, skipgrid_tb);
    end
    if (n > 0) $readmemh(prog_file, prog);
    fd = $fopen(out_file, "w");
    failed = 1'b0;
    cycles = 64'd0;
    rst = 1'b1;
    tick;
    tick;
    rst = 1'b0;
    cycles = 64'd0;
    for (pc = 0; pc < n && !failed; pc = pc + 1) begin
      op = prog[pc];
      case (op[127:120])
        8'd0: begin
          host_addr  = op[64+:AW];
          host_wdata = op[0+:DW];
          host_we    = 1'b1;
          tick;
          idle_inputs;
        end
        8'd1: begin
          host_addr = op[64+:AW];
          host_re   = 1'b1;
          tick;
          if (host_rvalid !== 1'b1) begin
            $fdisplay(fd, "norvalid %0d", pc);
            failed = 1'b1;
          end else $fdisplay(fd, "read %h", host_rdata);
          idle_inputs;
        end
        8'd2: begin
          waited = 64'd0;
          seen   = 1'b0;
          while (!seen && waited < op[63:0]) begin
            tick;
            waited = waited + 64'd1;
            if (done === 1'b1) seen = 1'b1;
          end
          if (seen) $fdisplay(fd, "wait %0d", waited);
          else begin
            $fdisplay(fd, "hang %0d %0d", pc, waited);
            failed = 1'b1;
          end
        end
        8'd3: begin
          for (c = 64'd0; c < op[63:0]; c = c + 64'd1) tick;
        end
        default: begin
          $fdisplay(fd, "badop %0d", pc);
          failed = 1'b1;
        end
      endcase
    end
    if (!failed) $fdisplay(fd, "end %0d", cycles);
    $fclose(fd);
    $finish;
  end
endmodule
`default_nettype wire
