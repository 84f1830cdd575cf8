/** Server text with wide characters (CJK, emoji) and combining marks is measured, cut and wrapped by display cells. */
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { cellWidth, cutCells, dropCells, fitCells, padCells, wrapCells } from '../../src/text/cells.js';
import { cut, wrapText } from '../../src/views/format.js';
import { titleLine } from '../../src/views/header-lines.js';
import { buildListRow } from '../../src/views/list-rows.js';
import { statusLines } from '../../src/components/StatusLine.js';
import { tableLines } from '../../src/commands/output.js';
import { ITEM_CODE } from '../../src/protocol.js';
import { emptyExec } from '../../src/store/app-store.js';
import type { ExecView, ItemDetail } from '../../src/store/types.js';

/** Cells a terminal gives the line, escapes left out. */
const cells = (line: string) => stringWidth(line);

const SAMPLES = [
  'plain ascii text that is long enough to be cut',
  '日本語のサービス名と長い説明文',
  'résumé of a café, naïve and coöperative',
  'e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301',
  '😀 emoji 🚀 and a family 👨‍👩‍👧 and flags 🇫🇷🇯🇵',
  'mixed 模型 score 😀 ok',
  '한국어 텍스트와 English',
];

describe('measuring and cutting by cells', () => {
  it('measures display cells, not UTF-16 units', () => {
    expect(cellWidth('abc')).toBe(3);
    expect(cellWidth('日本')).toBe(4);
    expect(cellWidth('😀')).toBe(2);
    expect(cellWidth('e\u0301')).toBe(1);
    expect(cellWidth('')).toBe(0);
  });

  it('never goes past the width, and marks a cut with …', () => {
    for (const text of SAMPLES) {
      for (let w = 0; w <= 30; w++) {
        const out = cutCells(text, w);
        expect(cells(out), `${JSON.stringify(text)} at ${w}: ${JSON.stringify(out)}`).toBeLessThanOrEqual(w);
        if (cells(text) <= w) expect(out).toBe(text);
        else if (w > 0) expect(out.endsWith('…')).toBe(true);
        expect(cells(fitCells(text, w)), `fit ${JSON.stringify(text)} at ${w}`).toBe(w);
      }
    }
  });

  it('cuts before a wide character that would straddle the edge', () => {
    expect(cutCells('日本語日本語', 4)).toBe('日…');
    expect(cutCells('日本語日本語', 5)).toBe('日本…');
    expect(cutCells('ab日本', 3)).toBe('ab…');
    expect(padCells('日本', 6)).toBe('日本  ');
  });

  it('keeps ASCII as it was: cut with … and newlines flattened', () => {
    expect(cut('abcdef', 4)).toBe('abc…');
    expect(cut('ab\ncd', 10)).toBe('ab cd');
    expect(cut('abc', 3)).toBe('abc');
  });

  it('cuts a very long line without measuring all of it', () => {
    const out = cut('😀'.repeat(1_000_000), 9);
    expect(out).toBe('😀😀😀😀…');
  });

  it('wraps into lines that fit, losing only the spaces it breaks at', () => {
    for (const text of SAMPLES) {
      for (let w = 1; w <= 24; w++) {
        const lines = wrapCells(text, w);
        for (const line of lines) expect(cells(line), `${JSON.stringify(text)} at ${w}: ${JSON.stringify(line)}`).toBeLessThanOrEqual(w);
        if (w >= 2) expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      }
    }
    expect(wrapText('日本語 テキスト', 8)).toEqual(['日本語', 'テキスト']);
    // A newline in a message starts a new line rather than hiding inside one.
    expect(wrapText('first line\nsecond', 40)).toEqual(['first line', 'second']);
  });

  it('scrolls sideways by cells', () => {
    expect(dropCells('abcdef', 2)).toBe('cdef');
    expect(dropCells('日本語', 2)).toBe('本語');
    expect(dropCells('日本語', 1)).toBe(' 本語');
  });
});

describe('rows with wide characters never exceed the width', () => {
  const detail = (outputs: Record<string, unknown>, error: string): ItemDetail => ({
    index: 7, state: 'Failed', inputs: null, outputs, consoleOutput: '', error, durationMs: 120,
  });
  const details = [
    detail({ ラベル: '猫猫猫猫猫猫猫猫猫猫猫', score: 0.5 }, ''),
    detail({ label: '😀😀😀😀😀😀😀😀😀😀' }, 'エラー: ファイルが見つかりません 😱 while reading 入力.csv'),
    detail({}, 'e\u0301'.repeat(200)),
  ];

  it('list rows and the selection line, with and without colour', () => {
    for (const d of details) {
      for (let width = 10; width <= 100; width += 3) {
        for (const color of [false, true]) {
          for (const selected of [false, true]) {
            const row = buildListRow({ index: 7, code: ITEM_CODE.Failed, detail: d, indexWidth: 4, width, color, selected });
            expect(cells(row), `${width} ${JSON.stringify(row)}`).toBeLessThanOrEqual(width);
          }
        }
      }
    }
  });

  it('the header title, with a wide service name', () => {
    const view: ExecView = { cursor: 0, top: 0, filter: 'Failed', mode: 'list', cellsPerRow: 10, bodyRows: 10 };
    const exec = { ...emptyExec({ service: '画像分類サービス😀', version: '1.0', id: '0d9b8a52-8a1e-4b55-bb1f-3c0c5d1f2a10' }), partial: false };
    for (let width = 5; width <= 90; width++) {
      for (const color of [false, true]) {
        const line = titleLine(exec, view, width, color);
        expect(cells(line), `${width} ${JSON.stringify(line)}`).toBeLessThanOrEqual(width);
      }
    }
    expect(titleLine(exec, view, 90, false)).toBe('画像分類サービス😀 1.0  0d9b8a52-8a1e-4b55-bb1f-3c0c5d1f2a10  [Failed|list|no partial]');
  });

  it('the status line, on one row or wrapped into several', () => {
    const message = 'サーバー 😀 が応答しません: 入力ファイル データ.csv の 12 行目、列 価格 が数値ではありません';
    for (let width = 4; width <= 60; width++) {
      for (const rows of [1, 2, 3]) {
        const lines = statusLines(message, width, rows);
        expect(lines.length).toBe(rows);
        for (const line of lines) expect(cells(line), `${width}×${rows} ${JSON.stringify(line)}`).toBeLessThanOrEqual(width);
      }
    }
  });

  it('command tables line their columns up by cells', () => {
    const lines = tableLines(['name', 'version', 'runtime'], [['分類器', '1.0', 'Python'], ['scorer', '2.0', 'JavaScript'], ['😀bot', '3', 'R']]);
    const starts = lines.map((l) => cells(l.slice(0, l.search(/(Python|JavaScript|R|runtime)$/))));
    expect(new Set(starts).size).toBe(1);
    expect(lines[1]).toBe('分類器  1.0      Python');
  });
});
