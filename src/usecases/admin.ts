// Use-cases of the admin area (filled in by its owner).
import type { Area } from './context.js';

export const adminArea: Area = {};
