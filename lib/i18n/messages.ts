/** UI text in English and Chinese. Keys are shared; a missing Chinese key would fail type-checking. */
export const en = {
  title: "Photo search",
  searchLabel: "Search photos",
  searchPlaceholder: "Describe a photo: a mountain covered in snow…",
  search: "Search",
  pickImage: "Search by image",
  dropHint: "Drop a photo to find similar ones",
  imageQuery: "Similar to",
  removeImage: "Remove image query",
  similarTo: "More like a photo",
  moreLikeThis: "More like this",
  upload: "Upload",
  uploading: "Uploading",
  uploaded: "Added to the library",
  filters: "Filters",
  from: "From",
  to: "To",
  place: "Place",
  anyPlace: "Anywhere",
  photosNear: "{count} photos near {lat}, {lon}",
  typedPlace: "Coordinates",
  coordinatesHint: "lat, lon",
  radius: "Radius (km)",
  folder: "Folder",
  anyFolder: "All folders",
  clearFilters: "Clear filters",
  mode: "Mode",
  modeSemantic: "Meaning",
  modeText: "Words",
  modeHybrid: "Both",
  browserEmbedding: "Embed in browser",
  browserEmbeddingHint: "Compute the query vector on this device",
  modelLoading: "Loading the text model in your browser… {progress}%",
  emptyLibrary: "The library is empty. Add photos with: npm run ingest -- <folder>, or upload one.",
  noResults: "No photos match. Try other words or fewer filters.",
  loading: "Loading…",
  loadMore: "Load more",
  end: "That's all.",
  errorTitle: "Something went wrong",
  retry: "Try again",
  score: "score",
  close: "Close",
  previous: "Previous photo",
  next: "Next photo",
  taken: "Taken",
  camera: "Camera",
  location: "Place",
  size: "Size",
  openOriginal: "Open original",
  language: "Language",
  theme: "Theme",
  results: "{count} photos",
  browseAll: "All photos, newest first",
  modelNotice: "Text search needs the model {model} in Elasticsearch ({state}). {detail}",
  modelFallback: "Searching with the server's text model meanwhile.",
};

export type Messages = typeof en;

export const zh: Messages = {
  title: "以文搜图",
  searchLabel: "搜索照片",
  searchPlaceholder: "描述一张照片：雪山、海边的日落……",
  search: "搜索",
  pickImage: "以图搜图",
  dropHint: "拖入一张照片，查找相似的照片",
  imageQuery: "相似于",
  removeImage: "移除图片查询",
  similarTo: "相似照片",
  moreLikeThis: "查找相似",
  upload: "上传",
  uploading: "正在上传",
  uploaded: "已加入图库",
  filters: "筛选",
  from: "起始日期",
  to: "结束日期",
  place: "地点",
  anyPlace: "任意地点",
  photosNear: "{lat}, {lon} 附近的 {count} 张照片",
  typedPlace: "坐标",
  coordinatesHint: "纬度, 经度",
  radius: "半径（公里）",
  folder: "文件夹",
  anyFolder: "全部文件夹",
  clearFilters: "清除筛选",
  mode: "方式",
  modeSemantic: "语义",
  modeText: "关键词",
  modeHybrid: "混合",
  browserEmbedding: "浏览器内计算",
  browserEmbeddingHint: "在本设备上计算查询向量",
  modelLoading: "正在浏览器中加载文本模型… {progress}%",
  emptyLibrary: "图库是空的。用 npm run ingest -- <文件夹> 添加照片，或上传一张。",
  noResults: "没有匹配的照片。换个说法，或减少筛选条件。",
  loading: "加载中…",
  loadMore: "加载更多",
  end: "没有更多了。",
  errorTitle: "出错了",
  retry: "重试",
  score: "相似度",
  close: "关闭",
  previous: "上一张",
  next: "下一张",
  taken: "拍摄时间",
  camera: "相机",
  location: "地点",
  size: "尺寸",
  openOriginal: "查看原图",
  language: "语言",
  theme: "主题",
  results: "{count} 张照片",
  browseAll: "全部照片，最新的在前",
  modelNotice: "文本搜索需要 Elasticsearch 中的模型 {model}（当前：{state}）。{detail}",
  modelFallback: "暂时使用服务器上的文本模型搜索。",
};

export const LANGUAGES = { en, zh } as const;
export type Language = keyof typeof LANGUAGES;

export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? `{${key}}`));
}

/** The cookie's choice, else the first supported language the browser asks for, else English. */
export function pickLanguage(cookie: string | undefined, acceptLanguage: string | null): Language {
  if (cookie === "en" || cookie === "zh") return cookie;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = (part.split(";")[0] ?? "").trim().toLowerCase();
    if (tag.startsWith("zh")) return "zh";
    if (tag.startsWith("en")) return "en";
  }
  return "en";
}
