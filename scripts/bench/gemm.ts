/**
 * The machine's matrix-multiply throughput, measured with the library and thread count the CLIP
 * model runs on (onnxruntime's MLAS kernels, default intra-op threads), on the shape that dominates
 * an ingest batch: 8 photos x 50 tokens (M = 400) through the ViT-B/32 MLP's 768 -> 3072 projection.
 * A floor is the best the machine does, so the fastest of 25 runs counts, not the median.
 */
import * as ort from "onnxruntime-node";
import { GEMM_FP32_BASE64, GEMM_INT8_BASE64 } from "./gemm-graph";
import { round, time } from "./measure";

const M = 400;
const K = 768;
const N = 3072;

export interface GemmFloor {
  shape: string;
  fp32Gflops: number;
  int8Gops: number;
}

async function throughput(model: string, feeds: Record<string, ort.Tensor>): Promise<number> {
  const session = await ort.InferenceSession.create(Buffer.from(model, "base64"), { graphOptimizationLevel: "all" });
  const samples: number[] = [];
  await time(25, async () => {
    const start = performance.now();
    await session.run(feeds);
    samples.push(performance.now() - start);
  });
  await session.release();
  return round((2 * M * K * N) / (Math.min(...samples) / 1000) / 1e9, 1);
}

export async function measureGemm(): Promise<GemmFloor> {
  const floats = (n: number) => Float32Array.from({ length: n }, (_, i) => ((i * 2654435761) % 1000) / 1000 - 0.5);
  const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) % 251);
  const fp32Gflops = await throughput(GEMM_FP32_BASE64, {
    a: new ort.Tensor("float32", floats(M * K), [M, K]),
    b: new ort.Tensor("float32", floats(K * N), [K, N]),
  });
  const int8Gops = await throughput(GEMM_INT8_BASE64, {
    a: new ort.Tensor("uint8", bytes(M * K), [M, K]),
    b: new ort.Tensor("uint8", bytes(K * N), [K, N]),
    a_zero: new ort.Tensor("uint8", Uint8Array.of(128), []),
    b_zero: new ort.Tensor("uint8", Uint8Array.of(128), []),
  });
  return { shape: `${M}x${K} · ${K}x${N}`, fp32Gflops, int8Gops };
}
