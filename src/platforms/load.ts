// Platform surfaces are loaded only when that platform is configured: the Slack and Lark SDKs (and the playground)
// cost start time and memory (the Lark SDK alone ~65 MiB and 0.4 s), so a process that runs one platform never
// imports the other's code (dynamic import).
import type { Platform } from '../domain/types.js';
import type { Surface, SurfaceDeps } from './surface.js';

const modules = {
  slack: () => import('./slack/index.js'),
  feishu: () => import('./feishu/index.js'),
  local: () => import('./local/index.js'),
};
/**
 * Starts loading a platform's code (at start, while the database opens); loadSurface then finds it loaded (a module
 * is imported once). A failure is reported by loadSurface.
 */
export function preloadSurface(platform: Platform): void {
  modules[platform]().catch(() => undefined);
}

export async function loadSurface(platform: Platform, deps: SurfaceDeps): Promise<Surface> {
  switch (platform) {
    case 'slack':
      return (await modules.slack()).createSlackSurface(deps);
    case 'feishu':
      return (await modules.feishu()).createFeishuSurface(deps);
    case 'local':
      return (await modules.local()).createLocalSurface(deps);
  }
}
