/** The duplicates review's words (kept beside lib/i18n/messages.ts; the same two languages). */
import type { Language, Plural } from "./messages";

const en = {
  title: "Duplicates",
  back: "Back to the gallery",
  intro:
    "Identical files (the same bytes at several paths), near-identical copies (re-encoded, resized, lightly cropped) and bursts (very similar photos taken seconds apart). Removing takes photos out of the library only: files are never touched.",
  near: "Copies: similarity at least",
  hash: "and at most {bits} of 64 hash bits differ",
  burstCosine: "Bursts: similarity at least",
  seconds: "taken within {seconds} s",
  summary: {
    one: "{count} group — identical: {identical}, near-identical: {near}, bursts: {burst}",
    other: "{count} groups — identical: {identical}, near-identical: {near}, bursts: {burst}",
  } as Plural,
  loading: "Looking for duplicates…",
  indexing: "Indexing photos for comparison: {done} of {total}",
  comparing: "Comparing photos: {done} of {total}",
  buildingNote:
    "The first review after the library changes compares every photo with its nearest others; threshold changes after that are instant.",
  none: "No duplicates at these thresholds.",
  classes: { identical: "Identical files", "near-identical": "Near-identical copies", burst: "Burst" } as Record<string, string>,
  similarity: "similarity ≥ {value}",
  paths: "{count} paths",
  select: "Select {name}",
  removeSelected: "Remove {count} from library",
  removed: "Removed {count} from the library (files untouched).",
  signInToRemove: "Sign in to remove photos from the library.",
};

const zh: typeof en = {
  title: "重复照片",
  back: "返回图库",
  intro:
    "完全相同的文件（同一内容位于多个路径）、近似副本（重新编码、缩放、轻微裁剪）以及连拍（几秒内拍下的非常相似的照片）。移除只会把照片移出图库，文件本身不会被改动。",
  near: "副本：相似度至少",
  hash: "且 64 位哈希中最多 {bits} 位不同",
  burstCosine: "连拍：相似度至少",
  seconds: "拍摄间隔 {seconds} 秒以内",
  summary: { other: "{count} 组 — 完全相同：{identical}，近似副本：{near}，连拍：{burst}" },
  loading: "正在查找重复照片…",
  indexing: "正在为比对建立索引：{done} / {total} 张",
  comparing: "正在比对照片：{done} / {total} 张",
  buildingNote: "图库变化后的第一次查找要把每张照片与最相近的照片逐一比对；之后调整阈值会立即生效。",
  none: "在这些阈值下没有重复照片。",
  classes: { identical: "完全相同的文件", "near-identical": "近似副本", burst: "连拍" },
  similarity: "相似度 ≥ {value}",
  paths: "{count} 个路径",
  select: "选择 {name}",
  removeSelected: "从图库移除 {count} 张",
  removed: "已从图库移除 {count} 张（文件未改动）。",
  signInToRemove: "登录后才能从图库移除照片。",
};

export const DUPLICATES_MESSAGES = { en, zh } as const;
export type DuplicatesMessages = typeof en;

export function duplicatesMessages(lang: Language): DuplicatesMessages {
  return DUPLICATES_MESSAGES[lang];
}
