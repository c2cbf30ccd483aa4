import { describe, expect, it } from 'vitest';
import { domainCatalog } from '../../src/i18n/catalog/domain.js';
import { MONEY_ERRORS } from '../../src/domain/money.js';
import {
  ADJUSTMENT_STATUSES,
  CAMPAIGN_CHANNELS,
  CAMPAIGN_FORMATS,
  CAMPAIGN_GOALS,
  CAMPAIGN_STATUSES,
  CHANNEL_PURPOSES,
  KPI_KEYS,
  RISK_CATEGORIES,
  RISK_GRADES,
  RISK_STATUSES,
  RISK_STRATEGIES,
  ROLES,
} from '../../src/domain/types.js';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('domain catalog', () => {
  it('has the same keys and placeholders in both locales', () => {
    expect(Object.keys(domainCatalog['zh-CN']).sort()).toEqual(Object.keys(domainCatalog.en).sort());
    for (const [key, text] of Object.entries(domainCatalog.en)) {
      expect(placeholders(domainCatalog['zh-CN'][key] ?? ''), key).toEqual(placeholders(text));
      expect(text.trim(), key).not.toBe('');
    }
  });

  it('has every error key the domain raises', () => {
    const keys = [
      ...Object.values(MONEY_ERRORS),
      'error.forbidden',
      'error.self_decision',
      'error.transfer_exceeds_available',
      'error.campaign_dates',
      'error.risk_scale',
    ];
    for (const k of keys) {
      expect(domainCatalog.en[k], k).toBeDefined();
      expect(domainCatalog['zh-CN'][k], k).toBeDefined();
    }
    for (const k of Object.values(MONEY_ERRORS)) expect(domainCatalog.en[k]).toContain('{token}');
    expect(domainCatalog.en['money.error.too_large']).toContain('{max}');
  });

  it('labels every vocabulary value', () => {
    const groups: [string, readonly string[]][] = [
      ['role', ROLES],
      ['adjustment.status', ADJUSTMENT_STATUSES],
      ['campaign.status', CAMPAIGN_STATUSES],
      ['campaign.goal', CAMPAIGN_GOALS],
      ['campaign.format', CAMPAIGN_FORMATS],
      ['campaign.channel', CAMPAIGN_CHANNELS],
      ['kpi', KPI_KEYS],
      ['risk.category', RISK_CATEGORIES],
      ['risk.grade', RISK_GRADES],
      ['risk.status', RISK_STATUSES],
      ['risk.strategy', RISK_STRATEGIES],
      ['channel.purpose', CHANNEL_PURPOSES],
    ];
    for (const [prefix, values] of groups) {
      for (const v of values) {
        expect(domainCatalog.en[`${prefix}.${v}`], `${prefix}.${v}`).toBeDefined();
        expect(domainCatalog['zh-CN'][`${prefix}.${v}`], `${prefix}.${v}`).toBeDefined();
      }
    }
  });
});
