// Use-cases of the budget area (filled in by its owner).
import type { Area } from './context.js';

export const budgetArea: Area = {};
