// Use-cases of the campaigns area (filled in by its owner).
import type { Area } from './context.js';

export const campaignsArea: Area = {};
