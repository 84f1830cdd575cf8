import stringWidth from 'string-width';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { DataTable } from '../../src/components/DataTable.js';
import { createAppStore } from '../../src/store/app-store.js';
import type { WebService } from '../../src/protocol.js';
import { tableCell, fitTable, valueType, type TableColumn } from '../../src/views/table-fit.js';
import { renderHarness } from './harness.js';

const COLUMNS: TableColumn[] = [
  { key: 'name', title: 'name', max: 24 },
  { key: 'type', title: 'type', max: 10 },
  { key: 'value', title: 'value' },
];

const LONG = [
  { name: 'score', type: 'numeric', value: '0.53' },
  { name: 'summary_of_the_whole_record_in_words', type: 'character', value: '漢字のテキスト'.repeat(20) },
  { name: 'résumé', type: 'character', value: 'e\u0301'.repeat(100) },
  { name: 'rows', type: 'data.frame', value: JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ i, x: i / 3 }))) },
  { name: '😀 emoji', type: 'character', value: '😀'.repeat(60) },
];

describe('read-only tables', () => {
  const saved = process.env.LC_ALL;
  afterEach(() => {
    if (saved === undefined) delete process.env.LC_ALL;
    else process.env.LC_ALL = saved;
  });

  it('cut server text by display cells, never past the width, with … where cut', () => {
    expect(tableCell('漢字のテキスト', 5)).toBe('漢字…');
    // A wide character straddling the cut goes: the width is a bound.
    expect(tableCell('漢字のテキスト', 6)).toBe('漢字…');
    expect(stringWidth(tableCell('😀'.repeat(10), 7))).toBeLessThanOrEqual(7);
    expect(tableCell('a\nb\tc', 10)).toBe('a b c');
    expect(tableCell('\x1b[31mred\x1b[0m', 30)).toBe('\\u001b[31mred\\u001b[0m');
    expect(tableCell('e\u0301'.repeat(10), 4).length).toBeLessThanOrEqual(4);
    const fitted = fitTable(COLUMNS, LONG, 80);
    expect(fitted.widths.reduce((a, b) => a + b, 0) + 10).toBeLessThanOrEqual(80);
    for (const row of fitted.rows) COLUMNS.forEach((c, i) => expect(stringWidth(row[c.key])).toBeLessThanOrEqual(fitted.widths[i]));
  });

  it('show how many rows were left out when the height is short', () => {
    const fitted = fitTable(COLUMNS, LONG, 80, 3);
    expect(fitted.rows).toHaveLength(3);
    expect(fitted.hidden).toBe(3);
    expect(fitted.rows[2].name).toBe('… 3 more');
  });

  it('name the type of decoded values as ML Server spells types', () => {
    expect([1, 0.5, 'a', true, null, [1, 2], [{ a: 1 }], { a: [1] }, { a: 1 }].map(valueType)).toEqual([
      'integer', 'numeric', 'character', 'logical', 'null', 'vector', 'data.frame', 'data.frame', 'list',
    ]);
  });

  for (const [locale, corner] of [['C.UTF-8', '┌'], ['C', '+']] as const) {
    it(`draw at 80 columns with wide and long values, every line the same width and within it (${locale})`, async () => {
      process.env.LC_ALL = locale;
      const h = renderHarness(<DataTable columns={COLUMNS} rows={LONG} width={80} />);
      const f = await h.waitForFrame((x) => x.includes('score'), 'the table');
      const lines = f.split('\n');
      expect(lines).toHaveLength(LONG.length * 2 + 3);
      expect(lines[0].startsWith(corner)).toBe(true);
      expect(lines[1]).toMatch(/^[│|] name +[│|] type +[│|] value +[│|]$/);
      const widths = new Set(lines.map((l) => stringWidth(l)));
      expect(widths.size).toBe(1);
      expect([...widths][0]).toBeLessThanOrEqual(80);
      expect(f).toMatch(/^[│|] score +[│|] numeric +[│|] 0\.53 +[│|]$/m);
      // Where a cell is cut: `…`, or its one-cell ASCII stand-in `~` outside a UTF-8 locale.
      expect(f).toMatch(locale === 'C' ? /漢字のテキスト.*~/ : /漢字のテキスト.*…/);
      if (locale === 'C') expect(f).not.toMatch(/[─│┌┐└┘┬┴├┤┼…]/);
      h.unmount();
    });
  }

  it("fit a service's many, long-named parameters into the actions screen at 80×24", async () => {
    const defs = (prefix: string) => Array.from({ length: 8 }, (_, i) => ({ name: `${prefix}_${'長い名前'.repeat(8)}_${i}`, type: 'character' as const }));
    const service: WebService = { name: 'wide', version: '1.0', runtimeType: 'Python', inputParameterDefinitions: defs('in'), outputParameterDefinitions: defs('out'), outputFileNames: [] };
    const h = renderHarness(<App store={createAppStore({ kind: 'actions', service })} actions={{} as never} color={false} size={{ cols: 80, rows: 24 }} />, { maxRows: 23 });
    const f = await h.waitForFrame((x) => x.includes('New batch of this service'), 'the actions screen');
    const table = f.split('\n').filter((l) => /^[│├┌└]/.test(l));
    for (const line of table) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(new Set(table.map((l) => stringWidth(l))).size).toBe(1);
    expect(f).toMatch(/^│ input +│ in_長い名前.*… │ character │$/m);
    expect(f).toMatch(/^│ … 1[0-9] more +│/m);
    expect(f).toContain('e  Executions of this service');
    h.unmount();
  });
});
