import type { CatalogPair } from '../index.js';

export const campaignsCatalog: CatalogPair = {
  en: {},
  'zh-CN': {},
};
