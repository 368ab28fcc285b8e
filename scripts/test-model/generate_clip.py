#!/usr/bin/env python3
"""Generate a CLIP-architecture ONNX model pair in the transformers.js on-disk layout.

Real CLIP weights cannot be downloaded on our build machines, so tests and benchmarks use a model
that this script builds: the same graph as the Hugging Face CLIP export (patch-conv ViT and causal
text transformer, pre-LayerNorm blocks, quick-GELU MLPs, EOS pooling, linear projections) with the
same input and output names (`input_ids`/`attention_mask` -> `text_embeds`, `last_hidden_state`;
`pixel_values` -> `image_embeds`, `last_hidden_state`), fixed-seed random weights, and the real
tokenizer and preprocessor files copied beside it. The production loader reads it unchanged.

  --size tiny   a few MB, committed as the test fixture. Weights are scaled so different photos get
                clearly different vectors: with init-scale weights a random ViT maps every photo to
                nearly the same vector (mean pairwise cosine 0.80 on coco-mini); large query/key
                weights make attention sharp, so the class token carries the content of a few
                salient patches (mean pairwise cosine 0.45, max 0.74)
  --size base   full ViT-B/32 dimensions (~150M parameters), for benchmarks: its compute is the real one

Writes onnx/{text,vision}_model.onnx (fp32) and onnx/{text,vision}_model_quantized.onnx (int8,
onnxruntime dynamic quantization, as the published exports are made).
"""
import argparse
import json
import math
import shutil
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
# IR 8 is what opset 17 needs; newer onnx writers default to an IR that onnxruntime-node may not read yet.
IR_VERSION = 8
TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json"]
SIZES = {
    # width, layers, heads for each tower; the projection is 512 as in ViT-B/32.
    "tiny": {"text": (16, 2, 2), "vision": (32, 2, 2), "weight_scale": "features"},
    "base": {"text": (512, 12, 8), "vision": (768, 12, 12), "weight_scale": "init"},
}
VOCAB, MAX_POS, IMAGE, PATCH, PROJ = 49408, 77, 224, 32, 512


class Graph:
    """Accumulates nodes and initializers with unique names."""

    def __init__(self, rng, scale_mode):
        self.nodes, self.inits, self.rng, self.scale_mode, self.n = [], [], rng, scale_mode, 0

    def name(self, base):
        self.n += 1
        return f"{base}_{self.n}"

    def const(self, base, array):
        name = self.name(base)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def weight(self, base, shape, fan_in, std=None):
        std = std if std is not None else (1.0 / math.sqrt(fan_in) if self.scale_mode == "features" else 0.02)
        return self.const(base, (self.rng.standard_normal(shape) * std).astype(np.float32))

    def op(self, op_type, inputs, base=None, **attrs):
        out = self.name(base or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    def linear(self, x, d_in, d_out, base, bias=True, std=None):
        y = self.op("MatMul", [x, self.weight(f"{base}.weight", (d_in, d_out), d_in, std)])
        return self.op("Add", [y, self.const(f"{base}.bias", np.zeros(d_out, np.float32))]) if bias else y

    def layer_norm(self, x, width, base):
        gamma = self.const(f"{base}.weight", np.ones(width, np.float32))
        beta = self.const(f"{base}.bias", np.zeros(width, np.float32))
        return self.op("LayerNormalization", [x, gamma, beta], axis=-1, epsilon=1e-5)

    def shape_of(self, x, start, end):
        return self.op("Shape", [x], start=start, end=end)

    def attention(self, x, width, heads, mask, base):
        """Multi-head self-attention as the HF export traces it: project, split heads, scaled dot product."""
        head = width // heads
        batch, seq = self.shape_of(x, 0, 1), self.shape_of(x, 1, 2)
        split = self.op("Concat", [batch, seq, self.const("heads", np.array([heads, head], np.int64))], axis=0)

        def heads_of(t):
            return self.op("Transpose", [self.op("Reshape", [t, split])], perm=[0, 2, 1, 3])

        # Large query/key weights make attention sharp in the tiny model (see module doc).
        qk_std = 1.0 if self.scale_mode == "features" else None
        q = heads_of(self.linear(x, width, width, f"{base}.q_proj", std=qk_std))
        k = heads_of(self.linear(x, width, width, f"{base}.k_proj", std=qk_std))
        v = heads_of(self.linear(x, width, width, f"{base}.v_proj"))
        scores = self.op("MatMul", [q, self.op("Transpose", [k], perm=[0, 1, 3, 2])])
        scores = self.op("Mul", [scores, self.const("scale", np.array(head ** -0.5, np.float32))])
        if mask is not None:
            scores = self.op("Add", [scores, mask])
        context = self.op("MatMul", [self.op("Softmax", [scores], axis=-1), v])
        merged_shape = self.op("Concat", [batch, seq, self.const("width", np.array([width], np.int64))], axis=0)
        merged = self.op("Reshape", [self.op("Transpose", [context], perm=[0, 2, 1, 3]), merged_shape])
        return self.linear(merged, width, width, f"{base}.out_proj")

    def mlp(self, x, width, base):
        hidden = self.linear(x, width, 4 * width, f"{base}.fc1")
        gate = self.op("Sigmoid", [self.op("Mul", [hidden, self.const("quick_gelu", np.array(1.702, np.float32))])])
        return self.linear(self.op("Mul", [hidden, gate]), 4 * width, width, f"{base}.fc2")

    def encoder(self, x, width, layers, heads, mask, base):
        for i in range(layers):
            layer = f"{base}.layers.{i}"
            x = self.op("Add", [x, self.attention(self.layer_norm(x, width, f"{layer}.ln1"), width, heads, mask, layer)])
            x = self.op("Add", [x, self.mlp(self.layer_norm(x, width, f"{layer}.ln2"), width, layer)])
        return x

    def model(self, inputs, outputs, name):
        graph = helper.make_graph(self.nodes, name, inputs, outputs, self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="photo-search")
        model.ir_version = IR_VERSION
        onnx.checker.check_model(model)
        return model


def text_tower(rng, width, layers, heads, scale_mode):
    g = Graph(rng, scale_mode)
    ids, mask_in = "input_ids", "attention_mask"
    x = g.op("Gather", [g.weight("token_embedding", (VOCAB, width), 1, std=1.0 if scale_mode == "features" else None), ids])
    seq = g.shape_of(ids, 1, 2)
    positions = g.op("Slice", [g.weight("position_embedding", (MAX_POS, width), 1, std=0.1 if scale_mode == "features" else 0.01),
                               g.const("zero", np.array([0], np.int64)), seq, g.const("axis0", np.array([0], np.int64))])
    x = g.op("Add", [x, positions])
    # Additive mask: causal (a token sees only earlier tokens) plus padding, as CLIP's text encoder applies.
    seq_scalar = g.op("Squeeze", [seq, g.const("axis0", np.array([0], np.int64))])
    rng_ = g.op("Range", [g.const("zero", np.array(0, np.int64)), seq_scalar, g.const("one", np.array(1, np.int64))])
    causal = g.op("Greater", [g.op("Unsqueeze", [rng_, g.const("axis1", np.array([1], np.int64))]),
                              g.op("Unsqueeze", [rng_, g.const("axis0", np.array([0], np.int64))])])
    padding = g.op("Equal", [g.op("Unsqueeze", [mask_in, g.const("axes12", np.array([1, 2], np.int64))]),
                             g.const("zero", np.array(0, np.int64))])
    blocked = g.op("Or", [g.op("Unsqueeze", [causal, g.const("axes01", np.array([0, 1], np.int64))]), padding])
    mask = g.op("Where", [blocked, g.const("neg", np.array(-1e9, np.float32)), g.const("zero_f", np.array(0, np.float32))])
    x = g.layer_norm(g.encoder(x, width, layers, heads, mask, "text.encoder"), width, "text.final_layer_norm")
    hidden = g.op("Identity", [x], base="hidden")
    # Pool at the end-of-text token, which has the largest id in CLIP's vocabulary (argmax pooling).
    eos = g.op("ArgMax", [g.op("Cast", [ids], to=TensorProto.INT32)], axis=-1, keepdims=0)
    batch = g.shape_of(ids, 0, 1)
    batch_scalar = g.op("Squeeze", [batch, g.const("axis0", np.array([0], np.int64))])
    row_start = g.op("Mul", [g.op("Range", [g.const("zero", np.array(0, np.int64)), batch_scalar, g.const("one", np.array(1, np.int64))]), seq_scalar])
    flat_index = g.op("Add", [row_start, g.op("Cast", [eos], to=TensorProto.INT64)])
    flat = g.op("Reshape", [x, g.const("flat", np.array([-1, width], np.int64))])
    pooled = g.op("Gather", [flat, flat_index], axis=0)
    embeds = g.op("MatMul", [pooled, g.weight("text_projection", (width, PROJ), width)])
    g.nodes.append(helper.make_node("Identity", [embeds], ["text_embeds"]))
    g.nodes.append(helper.make_node("Identity", [hidden], ["last_hidden_state"]))
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch_size", "sequence_length"]) for n in (ids, mask_in)]
    outputs = [helper.make_tensor_value_info("text_embeds", TensorProto.FLOAT, ["batch_size", PROJ]),
               helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch_size", "sequence_length", width])]
    return g.model(inputs, outputs, "clip_text_with_projection")


def vision_tower(rng, width, layers, heads, scale_mode):
    g = Graph(rng, scale_mode)
    fan_in = 3 * PATCH * PATCH
    patches = g.op("Conv", ["pixel_values", g.weight("patch_embedding", (width, 3, PATCH, PATCH), fan_in)],
                   kernel_shape=[PATCH, PATCH], strides=[PATCH, PATCH])
    batch = g.shape_of("pixel_values", 0, 1)
    tokens = g.op("Transpose", [g.op("Reshape", [patches, g.op("Concat", [batch, g.const("wm1", np.array([width, -1], np.int64))], axis=0)])], perm=[0, 2, 1])
    cls_shape = g.op("Concat", [batch, g.const("one_width", np.array([1, width], np.int64))], axis=0)
    cls = g.op("Expand", [g.weight("class_embedding", (1, 1, width), 1, std=0.1 if scale_mode == "features" else None), cls_shape])
    n_pos = (IMAGE // PATCH) ** 2 + 1
    x = g.op("Add", [g.op("Concat", [cls, tokens], axis=1), g.weight("position_embedding", (1, n_pos, width), 1, std=0.1 if scale_mode == "features" else None)])
    x = g.layer_norm(x, width, "vision.pre_layrnorm")
    x = g.encoder(x, width, layers, heads, None, "vision.encoder")
    hidden = g.op("Identity", [x], base="hidden")
    pooled = g.layer_norm(g.op("Gather", [x, g.const("cls_index", np.array(0, np.int64))], axis=1), width, "vision.post_layernorm")
    embeds = g.op("MatMul", [pooled, g.weight("visual_projection", (width, PROJ), width)])
    g.nodes.append(helper.make_node("Identity", [embeds], ["image_embeds"]))
    g.nodes.append(helper.make_node("Identity", [hidden], ["last_hidden_state"]))
    inputs = [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch_size", 3, IMAGE, IMAGE])]
    outputs = [helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["batch_size", PROJ]),
               helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch_size", n_pos, width])]
    return g.model(inputs, outputs, "clip_vision_with_projection")


def write_config(source_dir, out_dir, size):
    config = json.loads((source_dir / "config.json").read_text())
    (tw, tl, th), (vw, vl, vh) = SIZES[size]["text"], SIZES[size]["vision"]
    config["text_config"].update(hidden_size=tw, num_hidden_layers=tl, num_attention_heads=th, intermediate_size=4 * tw)
    config["vision_config"].update(hidden_size=vw, num_hidden_layers=vl, num_attention_heads=vh, intermediate_size=4 * vw)
    config["_generated_by"] = f"scripts/test-model/generate_clip.py --size {size} (random weights; not a trained model)"
    (out_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, default="tiny")
    parser.add_argument("--tokenizer-from", type=Path, required=True, help="folder with the real CLIP tokenizer/preprocessor files")
    parser.add_argument("--out", type=Path, required=True, help="model folder to write (its last two parts are the model id)")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--no-quantized", action="store_true")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    scale = SIZES[args.size]["weight_scale"]
    onnx_dir = args.out / "onnx"
    onnx_dir.mkdir(parents=True, exist_ok=True)
    for name in TOKENIZER_FILES:
        if (args.tokenizer_from / name).exists():
            shutil.copyfile(args.tokenizer_from / name, args.out / name)
    write_config(args.tokenizer_from, args.out, args.size)
    towers = {"text_model": text_tower(rng, *SIZES[args.size]["text"], scale),
              "vision_model": vision_tower(rng, *SIZES[args.size]["vision"], scale)}
    for name, model in towers.items():
        path = onnx_dir / f"{name}.onnx"
        onnx.save(model, path)
        if not args.no_quantized:
            from onnxruntime.quantization import QuantType, quantize_dynamic
            quantize_dynamic(path, onnx_dir / f"{name}_quantized.onnx", weight_type=QuantType.QUInt8)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
