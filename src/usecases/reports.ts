// Use-cases of the reports area (filled in by its owner).
import type { Area } from './context.js';

export const reportsArea: Area = {};
