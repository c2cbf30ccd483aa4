import type { CatalogPair } from '../index.js';

export const commandsCatalog: CatalogPair = {
  en: {},
  'zh-CN': {},
};
