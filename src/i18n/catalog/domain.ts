import type { CatalogPair } from '../index.js';

export const domainCatalog: CatalogPair = {
  en: {},
  'zh-CN': {},
};
