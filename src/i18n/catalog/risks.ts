import type { CatalogPair } from '../index.js';

export const risksCatalog: CatalogPair = {
  en: {},
  'zh-CN': {},
};
