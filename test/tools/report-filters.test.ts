import { describe, expect, it } from 'vitest';
import { filtersFromData, parseReportFilters } from '../../src/tools/report-filters.js';

const ERP_STYLE = `
// Copyright (c) 2015, Frappe Technologies
frappe.query_reports["General Ledger"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
			reqd: 1,
		},
		/* a block comment, with { braces ] and "quotes" */
		{
			fieldname: 'from_date',
			label: __('From Date'),
			fieldtype: 'Date',
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -1),
			reqd: true,
			width: "60px",
		},
		{
			"fieldname": "ageing_based_on",
			"label": __("Ageing Based On"),
			"fieldtype": "Select",
			"options": "Posting Date\\nDue Date",
			"default": "Due Date",
		},
		{
			fieldname: "party",
			label: __("Party"),
			fieldtype: "MultiSelectList",
			get_data: function (txt) {
				if (!frappe.query_report.filters) return;
				let party_type = frappe.query_report.get_filter_value("party_type");
				return frappe.db.get_link_options(party_type, txt, { a: "}" });
			},
			on_change: () => { const s = \`x \${1 + 1} ]\`; },
		},
		{ fieldname: "group_by", label: __("Group By"), fieldtype: "Select", options: [
			{ value: "", label: __("Ignore") }, { value: "Group by Voucher", label: __("Group by Voucher") },
		], default: "Group by Voucher" },
		{ fieldname: "include_dimensions", label: __("Consider Accounting Dimensions"), fieldtype: "Check", default: 1 },
		{ fieldtype: "Break" },
	],
	formatter: function (value) { return value; },
};
`;

describe('parseReportFilters', () => {
  it('reads ERPNext-style filter definitions without running them', () => {
    const filters = parseReportFilters(ERP_STYLE);
    expect(filters.map((f) => f.fieldname)).toEqual([
      'company',
      'from_date',
      'ageing_based_on',
      'party',
      'group_by',
      'include_dimensions',
    ]);
    expect(filters[0]).toEqual({
      fieldname: 'company',
      label: 'Company',
      fieldtype: 'Link',
      options: 'Company',
      reqd: true,
      default_expression: 'frappe.defaults.get_user_default("Company")',
    });
    expect(filters[1]).toMatchObject({ fieldname: 'from_date', reqd: true, fieldtype: 'Date' });
    expect(filters[1]!.default_expression).toContain('get_today');
    expect(filters[2]).toMatchObject({ options: 'Posting Date\nDue Date', default: 'Due Date', reqd: false });
    expect(filters[3]).toMatchObject({ fieldname: 'party', fieldtype: 'MultiSelectList', reqd: false });
    expect(filters[4]).toMatchObject({ options: '\nGroup by Voucher', default: 'Group by Voucher' });
    expect(filters[5]).toMatchObject({ default: 1 });
  });

  it('reads the JSON-like source Frappe returns for generated definitions', () => {
    const src = `frappe.query_reports["X"] = {\n\tfilters: ${JSON.stringify([{ fieldname: 'a', label: 'A', fieldtype: 'Date', reqd: 1 }], null, '\t')},\n};`;
    expect(parseReportFilters(src)).toEqual([{ fieldname: 'a', label: 'A', fieldtype: 'Date', reqd: true }]);
  });

  it('gives [] for scripts without a literal filter list', () => {
    expect(parseReportFilters('frappe.query_reports["X"] = { filters: get_filters() };')).toEqual([]);
    expect(parseReportFilters('')).toEqual([]);
    expect(parseReportFilters('frappe.query_reports["X"] = { filters: [ { fieldname: ')).toEqual([]);
  });
});

describe('filtersFromData', () => {
  it('reads a report’s JSON filter rows', () => {
    expect(
      filtersFromData([{ fieldname: 'c', label: 'C', fieldtype: 'Link', options: 'Company', reqd: 1 }, 'x']),
    ).toEqual([{ fieldname: 'c', label: 'C', fieldtype: 'Link', options: 'Company', reqd: true }]);
  });
});
