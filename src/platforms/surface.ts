// What a chat platform plugs into the process: HTTP routes on the shared server, a sender for the
// outbox, and start/stop for connection modes that dial out (Slack Socket Mode, Feishu long connection).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../config/env.js';
import type { Db } from '../db/client.js';
import type { PlatformSender } from '../delivery/types.js';
import type { WorkQueue } from '../delivery/workQueue.js';
import type { Platform } from '../domain/types.js';
import type { Clock, Core } from '../usecases/types.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface SurfaceDeps {
  config: AppConfig;
  core: Core;
  db: Db;
  clock: Clock;
  /** This instance's name (AppConfig.instanceId, default host:port): stamps the deliveries it accepts. */
  instanceId?: string;
  /** Wake this platform's delivery worker after a use-case wrote outbox rows. */
  kickDelivery: () => void;
  /**
   * The process's work queue (src/delivery/workQueue.ts), shared by every platform; app.ts drains it at stop. A surface
   * built without one makes its own (and drains it itself).
   */
  work?: WorkQueue;
}

export interface Surface {
  platform: Platform;
  /** Keys are "METHOD /path" (no query string), e.g. "POST /slack/events". */
  routes: Record<string, RouteHandler>;
  sender: PlatformSender;
  start(): Promise<void>;
  stop(): Promise<void>;
}
