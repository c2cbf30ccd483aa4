// Use-cases of the risks area (filled in by its owner).
import type { Area } from './context.js';

export const risksArea: Area = {};
