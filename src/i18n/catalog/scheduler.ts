import type { CatalogPair } from '../index.js';

export const schedulerCatalog: CatalogPair = {
  en: {},
  'zh-CN': {},
};
