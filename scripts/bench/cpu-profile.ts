/**
 * A V8 .cpuprofile (node --cpu-prof) summarized: the main thread's self time by area (the app's
 * code by folder, Next, React, each dependency, native calls, GC, idle) and by function, so a
 * profile of a loaded server can be compared before and after a change without a browser's
 * DevTools.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  byArea: [string, number][];
  byFunction: [string, number][];
}

/** Which part of the program a frame belongs to, from its script's URL. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === "(idle)" || functionName === "(program)" || functionName === "(garbage collector)") return functionName;
    return `native: ${functionName || "(anonymous)"}`;
  }
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (modules) {
    const last = modules[modules.length - 1]!.replace("node_modules/", "");
    if (last === "next") {
      const inner = url.match(/next\/dist\/(?:compiled\/)?([^/]+(?:\/[^/]+)?)/);
      return `next: ${inner?.[1] ?? "?"}`;
    }
    return last;
  }
  if (url.startsWith("node:")) return url;
  const chunk = url.match(/\.next\/server\/(.*)$/);
  if (chunk) return `app bundle: ${chunk[1]!.replace(/\[[^\]]+\]_/g, "").slice(0, 60)}`;
  return url
    .replace(/^file:\/\//, "")
    .split("/")
    .slice(-2)
    .join("/");
}

/** `lastMs`: only the samples of the profile's last milliseconds (a load run, not the start-up before it). */
export function summarizeProfile(profile: CpuProfile, lastMs = Infinity): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const from = profile.endTime - lastMs * 1000;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= from) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = frame.url ? `${frame.url.split("/").slice(-1)[0]}:${frame.lineNumber + 1}` : "";
    const name = `${frame.functionName || "(anonymous)"} ${where} [${area}]`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) => [...m].map(([k, us]) => [k, us / 1000] as [string, number]).sort((a, b) => b[1] - a[1]);
  return { totalMs: Math.min(lastMs, (profile.endTime - profile.startTime) / 1000), byArea: sorted(areas), byFunction: sorted(functions) };
}

export function formatSummary(summary: ProfileSummary, top = 30): string {
  const busy = summary.byArea.filter(([area]) => area !== "(idle)").reduce((sum, [, ms]) => sum + ms, 0);
  const line = ([name, ms]: [string, number]) => `${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${name}`;
  return [
    `profile ${summary.totalMs.toFixed(0)} ms, main thread busy ${busy.toFixed(0)} ms (percentages of busy time)`,
    "by area:",
    ...summary.byArea.slice(0, top).map(line),
    "by function:",
    ...summary.byFunction.slice(0, top).map(line),
  ].join("\n");
}
