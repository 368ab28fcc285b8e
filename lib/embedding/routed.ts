/**
 * Query text embedded by the tower its language calls for (lib/language): CLIP's text tower for
 * English, the multilingual encoder for the rest; both land in the image model's space. The
 * caller may force a tower (`textModel`: "clip", "multilingual" or a model id) or state the
 * language (`lang`); the answer names the model that made the vector.
 */
import { badRequest } from "@/lib/errors";
import { routeQuery, type TextTower } from "@/lib/language";
import type { LoadState } from "./server/clip";
import type { DownloadProgress } from "./server/download-progress";
import type { EmbeddingSpace, QueryChoice, QueryEmbedding, TextEmbedder } from "./types";

export interface ServerTower extends TextEmbedder {
  warm(): Promise<void>;
  loadState(): LoadState;
}

export interface TowerReport {
  tower: TextTower;
  id: string;
  state: LoadState["state"];
  error?: string;
  /** While the tower's files download: bytes so far and in all. */
  download?: DownloadProgress;
}

export class RoutedTextEmbedder implements TextEmbedder {
  constructor(
    readonly space: EmbeddingSpace,
    private readonly towers: { clip: ServerTower; multilingual?: ServerTower },
  ) {}

  /** CLIP's text tower: the primary model, and the one older callers name. */
  get textModelId(): string {
    return this.towers.clip.textModelId;
  }

  /** Every model whose query vectors this library accepts. */
  get textModelIds(): string[] {
    return [this.towers.clip.textModelId, ...(this.towers.multilingual ? [this.towers.multilingual.textModelId] : [])];
  }

  async embedQuery(text: string, choice: QueryChoice = {}): Promise<QueryEmbedding> {
    const route = routeQuery(text, { tower: this.towerNamed(choice.textModel), lang: choice.lang });
    const embedder = this.embedderFor(route.tower);
    const [vector] = await embedder.embedTexts([text]);
    return { vector: vector!, textModel: embedder.textModelId, language: route.language };
  }

  /** Each text through the tower its language calls for, in the order given. */
  async embedTexts(texts: string[]): Promise<Float32Array[]> {
    const embedders = texts.map((text) => this.embedderFor(routeQuery(text).tower));
    const out = new Array<Float32Array>(texts.length);
    for (const embedder of new Set(embedders)) {
      const indices = embedders.flatMap((e, i) => (e === embedder ? [i] : []));
      const vectors = await embedder.embedTexts(indices.map((i) => texts[i]!));
      indices.forEach((i, n) => (out[i] = vectors[n]!));
    }
    return out;
  }

  /**
   * Loads both towers; rejects if either cannot load (readiness and the start-up log say which),
   * with CLIP's reason when both fail: the towers load side by side (each in its own thread), so
   * whichever failed first would otherwise decide.
   */
  async warm(): Promise<void> {
    const [clip, multilingual] = await Promise.allSettled([this.towers.clip.warm(), this.towers.multilingual?.warm()]);
    if (clip.status === "rejected") throw clip.reason;
    if (multilingual.status === "rejected") throw multilingual.reason;
  }

  loadState(): LoadState {
    return this.towers.clip.loadState();
  }

  report(): TowerReport[] {
    return (["clip", "multilingual"] as const).flatMap((tower) => {
      const embedder = this.towers[tower];
      if (!embedder) return [];
      const state = embedder.loadState();
      return [
        {
          tower,
          id: embedder.textModelId,
          state: state.state,
          ...("error" in state ? { error: state.error } : {}),
          ...("download" in state && state.download ? { download: state.download } : {}),
        },
      ];
    });
  }

  private embedderFor(tower: TextTower): ServerTower {
    // With MULTILINGUAL_MODEL=off, CLIP's tower answers everything.
    return (tower === "multilingual" && this.towers.multilingual) || this.towers.clip;
  }

  private towerNamed(name: string | undefined): TextTower | undefined {
    if (name === undefined) return undefined;
    if (name === "clip" || name === this.towers.clip.textModelId) return "clip";
    if (name === "multilingual" || name === this.towers.multilingual?.textModelId) {
      if (!this.towers.multilingual)
        throw badRequest("textModel multilingual: the multilingual text model is turned off (MULTILINGUAL_MODEL=off)");
      return "multilingual";
    }
    throw badRequest(`textModel must be clip, multilingual, or one of ${this.textModelIds.join(", ")}`);
  }
}
