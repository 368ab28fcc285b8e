#!/usr/bin/env python3
"""Write fixtures/clip-reference/: the 224 x 224 input that the reference CLIP preprocessor (Hugging
Face's CLIPImageProcessor on Pillow, as reference_embed.py uses it) makes of a few shared photos,
as lossless PNGs, for lib/ingest/image.test.ts. The photos cover enlarging (CIFAR-10, Flickr8k
thumbnails), reducing with an odd crop (COCO), a photo with an embedded ICC profile and a wide camera
photo.
Regenerate with: python3 scripts/bench/reference_crops.py
With `--out DIR photo...` it writes the reference input of the given photos to DIR instead (<stem>.png;
the camera-photo bench compares the app's input with it).
"""
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps
from transformers import CLIPImageProcessor

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "fixtures" / "clip-reference"
PHOTOS = [
    "datasets/cifar10-test/images/airplane/0000.jpg",
    "datasets/flickr8k-1k/images/1000268201_693b08cb0e.jpg",
    "datasets/flickr8k-1k/images/1003163366_44323f5815.jpg",
    "datasets/coco-mini/images/val2017/000000397133.jpg",
    "datasets/coco-mini/images/val2017/000000135561.jpg",  # an embedded ICC profile, which Pillow ignores
    "datasets/exif-gps-samples/images/HMD_Nokia_8.3_5G.jpg",
]

processor = CLIPImageProcessor.from_pretrained(SHARED / "models/Xenova/clip-vit-base-patch32")


def reference_input(path, out):
    """The reference 224 x 224 input of one photo, saved as out/<stem>.png; returns the photo's upright size."""
    image = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    pixels = processor(images=[image], do_rescale=False, do_normalize=False, return_tensors="np")["pixel_values"][0]
    Image.fromarray(np.clip(np.round(pixels), 0, 255).astype(np.uint8).transpose(1, 2, 0)).save(out / (Path(path).stem + ".png"))
    return list(image.size)


if len(sys.argv) > 2 and sys.argv[1] == "--out":
    for photo in sys.argv[3:]:
        reference_input(photo, Path(sys.argv[2]))
    sys.exit(0)

OUT.mkdir(parents=True, exist_ok=True)
manifest = []
for photo in PHOTOS:
    size = reference_input(SHARED / photo, OUT)
    manifest.append({"photo": photo, "reference": Path(photo).stem + ".png", "size": size})
(OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
print(f"wrote {len(manifest)} reference inputs to {OUT}")
