import type { CatalogPair } from '../index.js';

export const budgetCatalog: CatalogPair = {
  en: {},
  'zh-CN': {},
};
