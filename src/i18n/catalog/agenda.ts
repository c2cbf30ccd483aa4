import type { CatalogPair } from '../index.js';

export const agendaCatalog: CatalogPair = {
  en: {},
  'zh-CN': {},
};
