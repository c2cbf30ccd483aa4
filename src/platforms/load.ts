// Platform surfaces are loaded only when that platform is configured: the Slack and Lark SDKs (and the playground)
// cost start time and memory (the Lark SDK alone ~65 MiB and 0.4 s), so a process that runs one platform never
// imports the other's code (dynamic import).
import type { Platform } from '../domain/types.js';
import type { Surface, SurfaceDeps } from './surface.js';

export async function loadSurface(platform: Platform, deps: SurfaceDeps): Promise<Surface> {
  switch (platform) {
    case 'slack':
      return (await import('./slack/index.js')).createSlackSurface(deps);
    case 'feishu':
      return (await import('./feishu/index.js')).createFeishuSurface(deps);
    case 'local':
      return (await import('./local/index.js')).createLocalSurface(deps);
  }
}
