#!/usr/bin/env python3
"""Reference CLIP embeddings for the benchmark's parity check (docs/benchmarks.md, section 5).

The same ONNX files the app loads, run by Python's onnxruntime, with the inputs prepared by Hugging
Face transformers' own CLIPImageProcessor and tokenizer (read from the model folder's
preprocessor_config.json and tokenizer.json) and the images opened by Pillow. Everything the app does
differently (sharp's decode and resize, transformers.js's tokenizer and processor) shows up as a
cosine below 1 against these vectors.

Reads a JSON request on stdin: {"image_folder", "text_folder", "dtype": "fp32"|"q8", "images": [paths],
"texts": [strings], "out"}.
Writes float32 little-endian vectors to the file named by "out": the images' rows, then the texts'.
Beside it, the model inputs, which do not depend on the weights: "out".pixels (each image's 224 x 224
RGB crop as uint8, before rescaling and normalizing) and "out".tokens.json (each text's token ids).
"""
import json
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image, ImageOps
from transformers import AutoTokenizer, CLIPImageProcessor

FILES = {"fp32": "{tower}_model.onnx", "q8": "{tower}_model_quantized.onnx"}


def session(folder: Path, tower: str, dtype: str) -> ort.InferenceSession:
    return ort.InferenceSession(str(folder / "onnx" / FILES[dtype].format(tower=tower)), providers=["CPUExecutionProvider"])


def normalize(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def embed_images(folder: Path, dtype: str, paths: list[str], pixels_out: str) -> np.ndarray:
    if not paths:
        return np.zeros((0, 0), np.float32)
    processor = CLIPImageProcessor.from_pretrained(folder)
    model = session(folder, "vision", dtype)
    out = []
    with open(pixels_out, "wb") as crops:
        for start in range(0, len(paths), 8):
            # Upright as the app shows it: the app applies EXIF orientation before embedding.
            images = [ImageOps.exif_transpose(Image.open(p)).convert("RGB") for p in paths[start : start + 8]]
            resized = processor(images=images, do_rescale=False, do_normalize=False, return_tensors="np")["pixel_values"]
            crops.write(np.clip(np.round(resized), 0, 255).astype(np.uint8).transpose(0, 2, 3, 1).tobytes())
            pixels = processor(images=images, return_tensors="np")["pixel_values"].astype(np.float32)
            out.append(model.run(["image_embeds"], {"pixel_values": pixels})[0])
    return normalize(np.concatenate(out))


def embed_texts(folder: Path, dtype: str, texts: list[str], tokens_out: str) -> np.ndarray:
    if not texts:
        return np.zeros((0, 0), np.float32)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = session(folder, "text", dtype)
    wanted = {i.name for i in model.get_inputs()}
    Path(tokens_out).write_text(json.dumps([tokenizer(t, truncation=True, max_length=77)["input_ids"] for t in texts]))
    out = []
    for start in range(0, len(texts), 32):
        tokens = tokenizer(texts[start : start + 32], padding=True, truncation=True, max_length=77, return_tensors="np")
        feeds = {name: tokens[name].astype(np.int64) for name in ("input_ids", "attention_mask") if name in wanted}
        out.append(model.run(["text_embeds"], feeds)[0])
    return normalize(np.concatenate(out))


def main() -> None:
    request = json.load(sys.stdin)
    dtype = request["dtype"]
    images = embed_images(Path(request["image_folder"]), dtype, request["images"], request["out"] + ".pixels")
    texts = embed_texts(Path(request["text_folder"]), dtype, request["texts"], request["out"] + ".tokens.json")
    with open(request["out"], "wb") as f:
        for rows in (images, texts):
            f.write(rows.astype("<f4").tobytes())
    print(json.dumps({"images": len(images), "texts": len(texts), "onnxruntime": ort.__version__}))


if __name__ == "__main__":
    main()
