/** A read-only table (ink-table) fitted to the width: outputs of an index, a service's parameters. */
import { memo, useMemo, type PropsWithChildren } from 'react';
import { Text } from 'ink';
import { Table, type CellProps } from '@alcalzone/ink-table';
import stringWidth from 'string-width';
import { isUtf8Locale } from '../text/locale.js';
import { asciiText } from '../text/glyphs.js';
import { fitTable, type TableColumn } from '../views/table-fit.js';

/** Props of DataTable. */
export interface DataTableProps {
  columns: TableColumn[];
  rows: Record<string, string>[];
  /** Cells the table may take, borders included. */
  width: number;
  /** Data rows it may show; past that the last row says how many more there are. */
  maxRows?: number;
}

/** Borders in box-drawing characters, or `+-|` outside a UTF-8 locale. */
function Skeleton({ children }: PropsWithChildren) {
  const text = String(children ?? '');
  return <Text dimColor>{isUtf8Locale() ? text : asciiText(text)}</Text>;
}

/**
 * ink-table pads a cell by `.length`; a wide character takes two cells for one unit, so the
 * cell is padded again by display cells to the width ink-table gave it (its own length).
 */
function padByCells(children: unknown): string {
  // The cut mark `…` is one cell, as is its ASCII stand-in.
  const text = isUtf8Locale() ? String(children ?? '') : String(children ?? '').replace(/…/g, '~');
  const value = text.trim();
  return ` ${value}${' '.repeat(Math.max(0, text.length - 1 - stringWidth(value)))}`;
}

function Cell({ children }: CellProps) {
  return <Text>{padByCells(children)}</Text>;
}

function Header({ children }: PropsWithChildren) {
  return <Text bold>{padByCells(children)}</Text>;
}

/**
 * ┌──────┬─────────┬───────┐
 * │ name │ type    │ value │
 * ├──────┼─────────┼───────┤
 * │ score│ numeric │ 0.53  │
 * └──────┴─────────┴───────┘
 * Never wider than `width`: values are cut by display cells. Column titles are padded to the
 * column's width, so ink-table's widths (by `.length`) are the fitted ones.
 */
export const DataTable = memo(function DataTable({ columns, rows, width, maxRows }: DataTableProps) {
  const { data, keys } = useMemo(() => {
    const fitted = fitTable(columns, rows, width, maxRows);
    const keys = columns.map((c, i) => c.title.padEnd(fitted.widths[i]));
    const data = fitted.rows.map((r) => Object.fromEntries(columns.map((c, i) => [keys[i], r[c.key]])));
    return { data, keys };
  }, [columns, rows, width, maxRows]);
  return <Table data={data} columns={keys} padding={1} cell={Cell} header={Header} skeleton={Skeleton} />;
});
