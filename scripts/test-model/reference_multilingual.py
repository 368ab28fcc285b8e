#!/usr/bin/env python3
"""Reference vectors for the multilingual parity test, made by Python sentence-transformers.

Encodes the texts of fixtures/multilingual-reference/texts.json with SentenceTransformer on the
generated test model's folder (its PyTorch weights, not the ONNX export the app runs) and writes
vectors.json beside them, with the sha256 of every model file they were made from: the parity test
(lib/embedding/server/multilingual.test.ts) compares the app's vectors with these and refuses a
reference made from other model files. Regenerate after regenerating the model:

  python3 scripts/test-model/reference_multilingual.py  (needs scripts/models/requirements.txt)
"""
import argparse
import hashlib
import json
from pathlib import Path

from sentence_transformers import SentenceTransformer

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_MODEL = ROOT / "fixtures" / "models" / "photo-search" / "clip-multilingual-tiny-random"
DEFAULT_DIR = ROOT / "fixtures" / "multilingual-reference"


def fingerprint(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(DEFAULT_MODEL))
    parser.add_argument("--dir", default=str(DEFAULT_DIR))
    args = parser.parse_args()
    folder, out_dir = Path(args.model), Path(args.dir)
    texts = json.loads((out_dir / "texts.json").read_text())
    model = SentenceTransformer(str(folder), device="cpu")
    vectors = model.encode([t["text"] for t in texts], batch_size=1, convert_to_numpy=True, normalize_embeddings=False)
    tokens = [len(model.tokenizer(t["text"])["input_ids"]) for t in texts]
    unknown = [model.tokenizer(t["text"])["input_ids"].count(model.tokenizer.unk_token_id) for t in texts]
    reference = {
        "model": str(folder.relative_to(ROOT)) if folder.is_relative_to(ROOT) else str(folder),
        "library": "sentence-transformers",
        "maxSeqLength": model.max_seq_length,
        "files": fingerprint(folder),
        "vectors": [
            {"name": t["name"], "tokens": n, "unknownTokens": u, "values": [round(float(x), 7) for x in v]}
            for t, n, u, v in zip(texts, tokens, unknown, vectors)
        ],
    }
    (out_dir / "vectors.json").write_text(json.dumps(reference, ensure_ascii=False) + "\n")
    print(f"wrote {len(texts)} reference vectors ({vectors.shape[1]} dims) to {out_dir / 'vectors.json'}")


if __name__ == "__main__":
    main()
