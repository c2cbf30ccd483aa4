// Look shared by every chart: size, font, colour-blind-safe palette (Okabe & Ito, "Color Universal Design"),
// and the ECharts pieces every chart uses the same way (title, legend, money axis).
import { formatMoneyShort } from '../domain/money.js';
import type { Locale } from '../domain/types.js';
import { t } from '../i18n/index.js';
import { plainText } from '../messages/markup.js';

/**
 * A catalog text as the characters to draw: t() escapes its parameters for the message markup (a line or campaign
 * name typed with `*` stays text in a message); a chart draws plain text.
 */
export function tx(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  return plainText(t(locale, key, params));
}

/** Drawn at 1000×600 CSS pixels and rasterised at 2× (2000×1200 px): sharp on a phone, one look on a desktop. */
export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 600;
export const CHART_SCALE = 2;

/** The one font family every text uses; the font file is loaded explicitly (./font.ts), never from the system. */
export const FONT_FAMILY = 'Noto Sans SC';

/**
 * Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. Meaning never rests on colour
 * alone: every bar also carries a text label (%, amount, sign).
 */
export const PALETTE = {
  blue: '#0072B2',
  sky: '#56B4E9',
  green: '#009E73',
  orange: '#E69F00',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  yellow: '#F0E442',
  grey: '#999999',
  ink: '#222222',
  muted: '#555555',
  grid: '#E3E3E3',
} as const;

/** Series colours in order, for charts with a series per category. */
export const SERIES_COLORS = [PALETTE.blue, PALETTE.orange, PALETTE.green, PALETTE.purple, PALETTE.sky, PALETTE.vermillion, PALETTE.yellow, PALETTE.grey];

export const TEXT = { fontFamily: FONT_FAMILY, color: PALETTE.ink, fontSize: 14 };

/** Money on axes and labels, formatted like everywhere else (¥5万 / ¥50k). Values are fen. */
export function moneyLabel(locale: Locale) {
  return (value: number): string => formatMoneyShort(Math.round(value), locale);
}

export function titleOption(text: string, subtext?: string) {
  return {
    text,
    subtext,
    left: 24,
    top: 14,
    textStyle: { fontFamily: FONT_FAMILY, fontSize: 22, fontWeight: 'normal' as const, color: PALETTE.ink },
    subtextStyle: { fontFamily: FONT_FAMILY, fontSize: 14, color: PALETTE.muted },
  };
}

export function legendOption(extra: Record<string, unknown> = {}) {
  return {
    top: 18,
    right: 24,
    itemWidth: 18,
    itemHeight: 12,
    textStyle: { fontFamily: FONT_FAMILY, fontSize: 14, color: PALETTE.ink },
    ...extra,
  };
}

export const AXIS_LABEL = { fontFamily: FONT_FAMILY, fontSize: 13, color: PALETTE.muted };
export const SPLIT_LINE = { lineStyle: { color: PALETTE.grid } };

/** Value labels beside bars: a white box keeps them readable where they cross a mark line. */
export const LABEL_BOX = {
  fontFamily: FONT_FAMILY,
  fontSize: 12,
  color: PALETTE.ink,
  backgroundColor: 'rgba(255,255,255,0.85)',
  padding: [1, 3],
};
