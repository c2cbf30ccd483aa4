// Each area owns one catalog file; register it here.
import type { CatalogPair } from '../index.js';
import { agendaCatalog } from './agenda.js';
import { approvalsCatalog } from './approvals.js';
import { coreCatalog } from './core.js';
import { budgetCatalog } from './budget.js';
import { campaignsCatalog } from './campaigns.js';
import { chartsCatalog } from './charts.js';
import { commandsCatalog } from './commands.js';
import { domainCatalog } from './domain.js';
import { planCatalog } from './plan.js';
import { planAmendmentCatalog } from './planAmendment.js';
import { platformCatalog } from './platform.js';
import { risksCatalog } from './risks.js';
import { schedulerCatalog } from './scheduler.js';

export const catalogs: CatalogPair[] = [
  coreCatalog,
  domainCatalog,
  commandsCatalog,
  budgetCatalog,
  campaignsCatalog,
  risksCatalog,
  agendaCatalog,
  platformCatalog,
  planCatalog,
  planAmendmentCatalog,
  schedulerCatalog,
  approvalsCatalog,
  chartsCatalog,
];
