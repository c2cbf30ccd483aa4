import type { CatalogPair } from '../index.js';

export const platformCatalog: CatalogPair = {
  en: {},
  'zh-CN': {},
};
