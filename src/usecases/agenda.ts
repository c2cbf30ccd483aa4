// Use-cases of the agenda area (filled in by its owner).
import type { Area } from './context.js';

export const agendaArea: Area = {};
