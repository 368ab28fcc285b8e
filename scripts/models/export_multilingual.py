#!/usr/bin/env python3
"""Export a sentence-transformers text encoder (such as the multilingual CLIP text model) to ONNX in
the transformers.js layout, with its pooling and Dense projection inside the graph.

`sentence-transformers/clip-ViT-B-32-multilingual-v1` is DistilBERT, then mean pooling, then a Dense
layer 768 -> 512 (no bias, identity activation) kept in its `2_Dense` folder. A standard ONNX export
(optimum, or sentence-transformers' own ONNX backend) holds only the transformer, so an app running
it gets 768-dim token states and no way into the CLIP space. This script traces the whole module
chain instead: input_ids, attention_mask -> sentence_embedding [batch, 512], so the server, the
browser and any ONNX runtime get the CLIP-space vector in one call.

Writes into --out (the folder the app loads as `<MODEL_DIR>/<model id>`):
  onnx/model.onnx, onnx/model_quantized.onnx (int8 weights, onnxruntime dynamic quantization: the
  app's q8), config.json, the tokenizer files (model_max_length = the model's max_seq_length, so
  every runtime truncates where sentence-transformers does), and the sentence-transformers
  description (modules.json, sentence_bert_config.json, 1_Pooling/, 2_Dense/config.json);
  --with-weights also saves the PyTorch weights, making the folder a loadable sentence-transformers
  model (the test model keeps them for the parity test).

`npm run models:export` (--models-dir, default `models`, or $MODEL_DIR) fills a model folder the app
loads with MODEL_DIR and nothing else: the multilingual model exported as above, at
`<dir>/sentence-transformers/clip-ViT-B-32-multilingual-v1`, and CLIP ViT-B/32's published
transformers.js ONNX files (`Xenova/clip-vit-base-patch32`, the image tower and CLIP's text tower)
copied beside it. Run it once where the Hugging Face hub (or HF_ENDPOINT's mirror) is reachable.
"""
import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import torch
from sentence_transformers import SentenceTransformer
from sentence_transformers.sentence_transformer.modules import Dense, Normalize, Pooling, Transformer

OPSET = 17
MULTILINGUAL = "sentence-transformers/clip-ViT-B-32-multilingual-v1"
CLIP = "Xenova/clip-vit-base-patch32"
# What the app loads of CLIP: configs and tokenizer, the image tower fp32 and q8, the text tower q8 and fp32.
CLIP_FILES = ["*.json", "*.txt", "onnx/vision_model.onnx", "onnx/vision_model_quantized.onnx", "onnx/text_model.onnx", "onnx/text_model_quantized.onnx"]


def pooling_mode(module: Pooling) -> str:
    """sentence-transformers 6 keeps one `pooling_mode` (a string, or a list when combined); older releases a method."""
    mode = getattr(module, "pooling_mode", None)
    if mode is None:
        mode = module.get_pooling_mode_str()
    return mode if isinstance(mode, str) else "+".join(mode)


class SentenceEmbedding(torch.nn.Module):
    """The sentence-transformers chain as one traceable module: transformer, pooling, dense layers."""

    def __init__(self, model: SentenceTransformer):
        super().__init__()
        modules = list(model)
        if not isinstance(modules[0], Transformer):
            raise SystemExit(f"the first module must be a Transformer, not {type(modules[0]).__name__}")
        self.transformer = modules[0].auto_model
        self.pooling, self.dense, self.normalize = None, [], False
        for module in modules[1:]:
            if isinstance(module, Pooling):
                mode = pooling_mode(module)
                if mode not in ("mean", "cls"):
                    raise SystemExit(f"pooling mode {mode} is not supported (mean or cls)")
                self.pooling = mode
            elif isinstance(module, Dense):
                self.dense.append(module)
            elif isinstance(module, Normalize):
                self.normalize = True
            else:
                raise SystemExit(f"module {type(module).__name__} is not supported")
        if self.pooling is None:
            raise SystemExit("the model has no Pooling module")
        self.dense = torch.nn.ModuleList(self.dense)

    def forward(self, input_ids, attention_mask):
        tokens = self.transformer(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        if self.pooling == "cls":
            pooled = tokens[:, 0]
        else:
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        features = {"sentence_embedding": pooled}
        for dense in self.dense:
            features = dense(features)
        out = features["sentence_embedding"]
        if self.normalize:
            out = torch.nn.functional.normalize(out, p=2, dim=1)
        return out


def export_onnx(model: SentenceTransformer, onnx_dir: Path) -> int:
    wrapper = SentenceEmbedding(model).eval()
    sample = model.tokenizer(["a photo of a dog", "雪山"], padding=True, return_tensors="pt")
    onnx_dir.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        dims = wrapper(sample["input_ids"], sample["attention_mask"]).shape[-1]
        torch.onnx.export(
            wrapper,
            (sample["input_ids"], sample["attention_mask"]),
            str(onnx_dir / "model.onnx"),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"}, "sentence_embedding": {0: "batch"}},
            opset_version=OPSET,
            dynamo=False,
        )
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(onnx_dir / "model.onnx", onnx_dir / "model_quantized.onnx", weight_type=QuantType.QUInt8)
    return int(dims)


def write_description(model: SentenceTransformer, source: Path, out: Path, with_weights: bool) -> None:
    """Tokenizer and config for transformers.js; the sentence-transformers files so the folder says what it is."""
    if with_weights:
        if source.resolve() != out.resolve():
            model.save(str(out))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            model.save(tmp)
            for item in Path(tmp).iterdir():
                if item.suffix in (".safetensors", ".bin") or item.name == "README.md":
                    continue
                target = out / item.name
                if item.is_dir():
                    shutil.copytree(item, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.safetensors", "*.bin"))
                else:
                    shutil.copy2(item, target)
    max_length = model.max_seq_length
    config_path = out / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config["model_max_length"] = max_length
    config_path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")


def fetch_clip(models_dir: Path) -> None:
    from huggingface_hub import snapshot_download

    target = models_dir / CLIP
    snapshot_download(CLIP, local_dir=str(target), allow_patterns=CLIP_FILES)
    print(f"copied {CLIP} -> {target}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=MULTILINGUAL, help="hub id or local folder")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", help="output folder, e.g. models/sentence-transformers/clip-ViT-B-32-multilingual-v1")
    where.add_argument("--models-dir", help="a MODEL_DIR to fill: the export at <dir>/<model id>, and CLIP's ONNX files beside it")
    parser.add_argument("--with-weights", action="store_true", help="also keep the PyTorch weights (a loadable sentence-transformers folder)")
    parser.add_argument("--expect-dims", type=int, default=512, help="the image space's size; the export fails on any other")
    args = parser.parse_args()

    out = Path(args.out) if args.out else Path(args.models_dir) / args.model
    out.mkdir(parents=True, exist_ok=True)
    model = SentenceTransformer(args.model, device="cpu")
    dims = export_onnx(model, out / "onnx")
    if dims != args.expect_dims:
        raise SystemExit(f"{args.model} produces {dims}-dim vectors; the image space has {args.expect_dims}")
    source = Path(args.model)
    write_description(model, source if source.exists() else out, out, args.with_weights)
    print(f"exported {args.model} -> {out} ({dims} dims, max {model.max_seq_length} tokens)", file=sys.stderr)
    if args.models_dir:
        fetch_clip(Path(args.models_dir))
        print(f"done: start the app with MODEL_DIR={args.models_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
