#!/usr/bin/env python3
"""Generate a small multilingual text encoder of the real multilingual CLIP architecture.

`sentence-transformers/clip-ViT-B-32-multilingual-v1` is DistilBERT (cased multilingual WordPiece,
Chinese characters split one per token), mean pooling, and a Dense layer into CLIP's 512-dim space
with no bias and identity activation. Its weights cannot be downloaded on our build machines, so
tests use this model: the same three modules with fixed-seed random weights, saved as a real
sentence-transformers folder (modules.json, 1_Pooling/, 2_Dense/), and a WordPiece vocabulary
trained with the `tokenizers` library on the datasets' English and Chinese captions plus a few lines
of Japanese, German, Korean and emoji text below, so every language the tests use has real tokens.

The folder is then exported by scripts/models/export_multilingual.py, the script users run on the
real model, which adds onnx/model.onnx and onnx/model_quantized.onnx with pooling and Dense inside.
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
from tokenizers import BertWordPieceTokenizer
from transformers import DistilBertConfig, DistilBertModel, PreTrainedTokenizerFast
from sentence_transformers import SentenceTransformer
from sentence_transformers.sentence_transformer.modules import Dense, Pooling, Transformer

# A little text in the languages the parity test uses beyond the captions (English and Chinese).
EXTRA_TEXT = [
    "雪に覆われた山の写真です。海辺で遊ぶ子供たち。犬が公園を走っている。桜の花と青い空。",
    "ひらがなとカタカナ：ねこ、いぬ、やま、うみ、カメラ、スマートフォン、ビーチ。",
    "Ein schneebedeckter Berg über einem ruhigen See. Zwei Hunde spielen im Schnee. Straße, Größe, Übung.",
    "Un chien court sur la plage au coucher du soleil. Una montaña cubierta de nieve. Café, été, niño.",
    "눈 덮인 산과 바다. 해변에서 노는 아이들. Собака бежит по пляжу. Снежные горы.",
    "🐶 🐱 🏔️ 🌊 🌅 📷 ❤️ 😀 🎉 iPhone 海边 日落 手机 照片",
]
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def corpus(datasets: Path) -> list[str]:
    lines = list(EXTRA_TEXT)
    for name in ("flickr8k-1k/captions.json", "flickr8k-1k/captions-zh.json", "coco-mini/captions.json"):
        path = datasets / name
        if not path.exists():
            continue
        for record in json.loads(path.read_text()):
            captions = record.get("captions") or [record.get("caption", "")]
            lines.extend(c for c in captions if c)
    return lines


def train_tokenizer(lines: list[str], vocab_size: int, out: Path) -> PreTrainedTokenizerFast:
    # As the multilingual BERT tokenizer: cased, accents kept, each CJK character its own token.
    wordpiece = BertWordPieceTokenizer(clean_text=True, handle_chinese_chars=True, strip_accents=False, lowercase=False)
    wordpiece.train_from_iterator(lines, vocab_size=vocab_size, min_frequency=1, special_tokens=SPECIAL, limit_alphabet=6000)
    wordpiece.enable_truncation(512)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=wordpiece._tokenizer,
        unk_token="[UNK]",
        sep_token="[SEP]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        mask_token="[MASK]",
        model_max_length=512,
    )
    tokenizer.save_pretrained(out)
    # transformers.js and transformers pick the tokenizer class from here; DistilBERT's is BERT's WordPiece.
    config_path = out / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config.update({"tokenizer_class": "DistilBertTokenizer", "do_lower_case": False, "tokenize_chinese_chars": True, "strip_accents": False})
    config_path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    return tokenizer


def build(args) -> None:
    torch.manual_seed(args.seed)
    out = Path(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        hf_dir = Path(tmp)
        tokenizer = train_tokenizer(corpus(Path(args.datasets)), args.vocab_size, hf_dir)
        config = DistilBertConfig(
            vocab_size=len(tokenizer),
            dim=args.dim,
            n_layers=args.layers,
            n_heads=args.heads,
            hidden_dim=args.dim * 4,
            max_position_embeddings=512,
            pad_token_id=tokenizer.pad_token_id,
        )
        model = DistilBertModel(config)
        with torch.no_grad():
            # Token identity must outweigh position for mean-pooled random states to differ between texts.
            model.embeddings.word_embeddings.weight.normal_(0, 1.0)
        model.save_pretrained(hf_dir)
        transformer = Transformer(str(hf_dir), max_seq_length=128)
        pooling = Pooling(args.dim, pooling_mode="mean")
        dense = Dense(args.dim, 512, bias=False, activation_function=torch.nn.Identity())
        SentenceTransformer(modules=[transformer, pooling, dense], device="cpu").save(str(out))
    export = Path(__file__).resolve().parent.parent / "models" / "export_multilingual.py"
    subprocess.run([sys.executable, str(export), "--model", str(out), "--out", str(out), "--with-weights"], check=True)
    for stray in ("README.md",):
        (out / stray).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--datasets", default="../shared/datasets")
    parser.add_argument("--size", choices=["tiny", "base"], default="tiny", help="base: the real model's DistilBERT dimensions (768, 6 layers, 12 heads), for latency benchmarks")
    parser.add_argument("--vocab-size", type=int, default=5000)
    parser.add_argument("--dim", type=int, default=32)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--heads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    if args.size == "base":
        args.dim, args.layers, args.heads = 768, 6, 12
    build(args)


if __name__ == "__main__":
    main()
