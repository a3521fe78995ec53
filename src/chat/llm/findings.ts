import type { ToolResult } from '../../tools/run.js';
import { documentTable, type Block } from '../blocks.js';

type Row = Record<string, unknown>;

/**
 * What the tools found during one answer, shaped for the desk: a table from the last successful
 * list_documents and a number from the last successful count_documents. Failed calls are ignored, so
 * a refusal never turns into a table.
 */
export class Findings {
  private list?: { doctype: string; rows: Row[]; total?: number };
  private count?: { doctype: string; value: number };

  note(tool: string, result: ToolResult): void {
    const data = result.structuredContent;
    if (result.isError || !data) return;
    const doctype = typeof data.doctype === 'string' ? data.doctype : '';
    if (tool === 'list_documents' && Array.isArray(data.rows)) {
      this.list = {
        doctype,
        rows: data.rows as Row[],
        ...(typeof data.total === 'number' ? { total: data.total } : {}),
      };
    } else if (tool === 'count_documents' && typeof data.count === 'number') {
      this.count = { doctype, value: data.count };
    }
  }

  get any(): boolean {
    return this.list !== undefined || this.count !== undefined;
  }

  blocks(): Block[] {
    const out: Block[] = [];
    if (this.count)
      out.push({ type: 'number', label: `Number of ${this.count.doctype} records`, value: this.count.value });
    const list = this.list;
    if (list?.rows.length) {
      // Columns in the order Frappe returned the fields, over all rows.
      const columns = [...new Set(list.rows.flatMap((r) => Object.keys(r)))];
      const more = list.total !== undefined && list.total > list.rows.length;
      const title = more ? `${list.doctype} (${list.rows.length} of ${list.total})` : list.doctype;
      out.push(documentTable(list.doctype, columns, list.rows, title));
    }
    return out;
  }
}
